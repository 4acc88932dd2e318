"""Not part of the app: the load test, the benchmark and its data, run as modules
(`python -m scripts.bench`) from the project root."""
