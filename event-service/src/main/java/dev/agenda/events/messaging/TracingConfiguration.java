package dev.agenda.events.messaging;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.agenda.events.event.CurrentTrace;
import dev.agenda.support.observability.TraceContinuation;

/** Gives the use cases the request's trace context to store with each outbox message (none when tracing is off). */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    @Bean
    CurrentTrace currentTrace(ObjectProvider<TraceContinuation> tracing) {
        TraceContinuation continuation = tracing.getIfAvailable();
        return continuation == null ? CurrentTrace.NONE : continuation::currentTraceParent;
    }
}
