using ReviewBot.App.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddReviewBot();
var app = builder.Build();
app.MapReviewBot();
app.Run();

public partial class Program;
