return new CakeHost().UseStartup<Pipeline.Build.Startup>().Run(args);
