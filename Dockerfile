# One image for both roles: the default command runs a silo; the API Deployment overrides the command.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Silo/Silo.csproj -c Release -o /app/silo \
 && dotnet publish Api/Api.csproj -c Release -o /app/api

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# LightGBM's native library (a boosted-tree learner of the trainer) needs the OpenMP runtime.
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
USER app
ENTRYPOINT ["dotnet", "/app/silo/LeadScoring.Silo.dll"]
CMD ["silo"]
