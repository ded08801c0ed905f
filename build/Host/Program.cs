return new CakeHost()
    .AddAssembly(typeof(Pipeline.Build.BuildContext).Assembly)
    .UseStartup<Pipeline.Build.Host.Startup>()
    .Run(args);
