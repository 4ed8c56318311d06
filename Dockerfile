# One image for the API, the worker, the OSS simulator and the designer: `docker compose up` runs it with
# PostgreSQL and a Temporal cluster (compose.yaml).
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc g++ make && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY engine engine
COPY runtime runtime
COPY workflows workflows
COPY designer designer
COPY catalog_specs catalog_specs
RUN pip install --no-cache-dir .
ENV SWITCHBOARD_DATA_DIR=/data SWITCHBOARD_HOST=0.0.0.0
EXPOSE 8080
CMD ["switchboard", "up"]
