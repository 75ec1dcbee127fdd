package dev.agenda.events.event;

/**
 * The trace context of the work in progress, as a W3C {@code traceparent} value, or null outside any trace. An
 * interface so the use cases stay free of the tracing library.
 */
@FunctionalInterface
public interface CurrentTrace {

    String traceParent();

    CurrentTrace NONE = () -> null;
}
