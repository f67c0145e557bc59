using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(LeadScoring.Benchmarks.ScoringBenchmarks).Assembly).Run(args);
