package dev.agenda.schemaregistry;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;

import javax.enterprise.inject.Produces;
import javax.inject.Singleton;
import java.util.List;

/**
 * Stands in for {@code io.apicurio:apicurio-common-app-components-config-index}, whose Quarkus
 * {@code -deployment} artifact is not published on Maven Central. That extension normally
 * collects the {@code @Dynamic} config properties at build time; we expose none, so the
 * registry's dynamic configuration API simply lists no properties. Static configuration
 * (application.properties, system properties, environment) works as usual.
 */
public class ConfigIndexProducer {

    @Produces
    @Singleton
    public DynamicConfigPropertyList dynamicConfigPropertyList() {
        return new DynamicConfigPropertyList(List.of());
    }
}
