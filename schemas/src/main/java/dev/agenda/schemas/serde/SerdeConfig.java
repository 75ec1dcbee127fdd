package dev.agenda.schemas.serde;

import java.util.Map;

/**
 * Confluent's own configuration keys, so that Confluent's {@code KafkaAvroSerializer} could replace ours without
 * touching a property file, and ours replace it without touching the bytes.
 */
public final class SerdeConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

    private SerdeConfig() {
    }

    static SchemaRegistryClient client(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null) {
            throw new IllegalArgumentException("Missing required configuration '" + SCHEMA_REGISTRY_URL + "'");
        }
        Object source = configs.get(BASIC_AUTH_CREDENTIALS_SOURCE);
        Object userInfo = configs.get(BASIC_AUTH_USER_INFO);
        boolean basicAuth = userInfo != null && (source == null || "USER_INFO".equalsIgnoreCase(source.toString()));
        return new CachingSchemaRegistryClient(
                new RestSchemaRegistryClient(url.toString(), basicAuth ? userInfo.toString() : null));
    }

    static boolean flag(Map<String, ?> configs, String key, boolean defaultValue) {
        Object value = configs.get(key);
        return value == null ? defaultValue : Boolean.parseBoolean(value.toString());
    }
}
