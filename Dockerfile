# syntax=docker/dockerfile:1
# The `pipeline` service image: built with the .NET SDK, run on the ASP.NET runtime as a non-root user.
# Runs with a read-only root filesystem: the only writable paths are /var/lib/pipeline (pipeline.data-dir)
# and /tmp, both volumes (the Helm chart mounts emptyDirs there).
#
#   docker build -t registry.example.com/akka-pipeline:1.0.0 .
#   docker run --rm registry.example.com/akka-pipeline:1.0.0 run --config /app/config/production.conf --check-config

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
# Restore first, from the project files only, so the package layer is reused while only code changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY Pipeline.Core/Pipeline.Core.csproj Pipeline.Core/
COPY Pipeline.UseCases/Pipeline.UseCases.csproj Pipeline.UseCases/
COPY Pipeline.Service/Pipeline.Service.csproj Pipeline.Service/
RUN dotnet restore Pipeline.Service/Pipeline.Service.csproj
# config/pipeline.conf is embedded into Pipeline.Core at build time.
COPY config/ config/
COPY Pipeline.Core/ Pipeline.Core/
COPY Pipeline.UseCases/ Pipeline.UseCases/
COPY Pipeline.Service/ Pipeline.Service/
# Portable (no --runtime): librdkafka.redist keeps its runtimes/linux-x64/native/ variants, and
# Confluent.Kafka picks the one whose dependencies the image has.
RUN dotnet publish Pipeline.Service/Pipeline.Service.csproj --configuration Release --no-restore --output /app

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
# Python use cases run in worker processes of the distribution's python3 (pipeline.python.interpreter); the worker needs
# msgpack. PYTHON_PACKAGES adds what the use cases import (numpy here), e.g. --build-arg PYTHON_PACKAGES="python3-numpy python3-scipy".
ARG PYTHON_PACKAGES="python3-numpy"
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-msgpack ${PYTHON_PACKAGES} \
 && rm -rf /var/lib/apt/lists/*
# The runtime images define the unprivileged user "app" (uid 1654) and publish its id as APP_UID.
RUN mkdir -p /var/lib/pipeline && chown "$APP_UID:$APP_UID" /var/lib/pipeline
WORKDIR /app
COPY --from=build /app ./
COPY config/production.conf /app/config/production.conf
# The Python use cases built into the image (pipeline.python.use-cases-dir, relative to /app); the chart can mount others.
COPY Pipeline.UseCases/Python/*.py /app/Pipeline.UseCases/Python/
# The service binds its HTTP port from its own configuration (pipeline.http.*); an empty value keeps
# the runtime image's ASPNETCORE_HTTP_PORTS=8080 from competing with it.
ENV ASPNETCORE_HTTP_PORTS="" \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
USER $APP_UID
VOLUME ["/var/lib/pipeline", "/tmp"]
# 8080 HTTP (health, metrics, admin), 4053 Akka remoting.
EXPOSE 8080 4053
ENTRYPOINT ["/app/pipeline"]
CMD ["run", "--config", "/app/config/production.conf"]
