return new CakeHost().UseContext<Pipeline.Build.BuildContext>().UseLifetime<Pipeline.Build.BuildLifetime>().UseTaskLifetime<Pipeline.Build.TaskLifetime>().Run(args);
