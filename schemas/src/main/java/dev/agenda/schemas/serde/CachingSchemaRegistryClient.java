package dev.agenda.schemas.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;

/**
 * Ids and schemas never change once the registry assigned them, so both directions are cached for the life of the
 * client: a producer calls the registry once per schema, a consumer once per id. Only {@link #latest} asks each time,
 * since the latest version of a subject can move.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> registeredIds = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> lookedUpIds = new ConcurrentHashMap<>();

    public CachingSchemaRegistryClient(SchemaRegistryClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public int register(String subject, Schema schema) {
        return remember(registeredIds, subject, schema, () -> delegate.register(subject, schema));
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return remember(lookedUpIds, subject, schema, () -> delegate.idOf(subject, schema));
    }

    @Override
    public RegisteredSchema latest(String subject) {
        RegisteredSchema latest = delegate.latest(subject);
        schemasById.putIfAbsent(latest.id(), latest.schema());
        return latest;
    }

    @Override
    public Schema byId(int id) {
        return schemasById.computeIfAbsent(id, delegate::byId);
    }

    private int remember(Map<String, Map<Schema, Integer>> cache, String subject, Schema schema,
            java.util.function.IntSupplier call) {
        Map<Schema, Integer> ids = cache.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer id = ids.get(schema);
        if (id == null) {
            id = call.getAsInt();
            ids.put(schema, id);
            schemasById.putIfAbsent(id, schema);
        }
        return id;
    }
}
