using ReviewBot.Benchmarks;

return BenchmarkApp.Run(args);
