"""Operations: the worker's heartbeat, /healthz for the proxy and monitoring, /metrics."""
