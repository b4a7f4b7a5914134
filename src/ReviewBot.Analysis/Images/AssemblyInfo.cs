using System.Runtime.CompilerServices;

// The image-knowledge tests check the data file through the internal catalog (problems, examples, entries).
[assembly: InternalsVisibleTo("ReviewBot.Analysis.Tests")]
