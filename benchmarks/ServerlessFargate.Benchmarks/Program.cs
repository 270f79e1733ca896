using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ServerlessFargate.Benchmarks.PipelineStages).Assembly).Run(args);
