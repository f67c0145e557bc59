using LeadScoring.Silo.Commands;

return args.FirstOrDefault() switch
{
    null or "silo" => await SiloCommand.RunAsync(args.Skip(1).ToArray()),
    "migrate" => await MigrateCommand.RunAsync(),
    "simulate" => await SimulateCommand.RunAsync(args.Skip(1).ToArray()),
    "import" => await ImportCommand.RunAsync(args.Skip(1).ToArray()),
    "reindex" => await ReindexCommand.RunAsync(args.Skip(1).ToArray()),
    "train" => await TrainCommand.RunAsync(args.Skip(1).ToArray()),
    "quality" => QualityCommand.Run(args.Skip(1).ToArray()),
    "training-speed" => QualityCommand.TrainingSpeed(),
    "models" or "promote" or "rollback" or "simulated-model" => await RegistryCommands.RunAsync(args[0], args.Skip(1).ToArray()),
    var verb => Usage.Fail($"unknown command '{verb}'"),
};
