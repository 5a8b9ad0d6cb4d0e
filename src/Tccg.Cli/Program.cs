using Tccg.Cli;

return await TccgCli.RunAsync(args, Console.Out, Console.Error);
