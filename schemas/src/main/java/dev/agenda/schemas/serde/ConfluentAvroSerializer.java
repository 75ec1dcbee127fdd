package dev.agenda.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format. The subject is {@code <topic>-value} (or {@code -key}), as with
 * Confluent's default TopicNameStrategy. A null record stays null, which is how a tombstone is written.
 *
 * <ul>
 * <li>{@code auto.register.schemas=true} (default): the record's schema is registered (once, then cached).</li>
 * <li>{@code use.latest.version=true} with auto-registration off: the record is written with the subject's latest
 * schema, resolved from the record's own schema.</li>
 * <li>otherwise the record's schema must already be registered under the subject.</li>
 * </ul>
 */
public class ConfluentAvroSerializer<T extends GenericContainer> implements Serializer<T> {

    private SchemaRegistryClient registry;
    private boolean isKey;
    private boolean autoRegister = true;
    private boolean useLatestVersion;
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    public ConfluentAvroSerializer() {
    }

    /** For code that builds its own client, e.g. to share its cache. */
    public ConfluentAvroSerializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
        this.registry = registry;
        apply(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = SerdeConfig.client(configs);
        }
        apply(configs, isKey);
    }

    private void apply(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        this.autoRegister = SerdeConfig.flag(configs, SerdeConfig.AUTO_REGISTER_SCHEMAS, true);
        this.useLatestVersion = SerdeConfig.flag(configs, SerdeConfig.USE_LATEST_VERSION, false);
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("serializer used before configure()");
        }
        String subject = WireFormat.subject(topic, isKey);
        Schema schema = record.getSchema();
        int id;
        Object toWrite = record;
        try {
            if (autoRegister) {
                id = registry.register(subject, schema);
            } else if (useLatestVersion) {
                SchemaRegistryClient.RegisteredSchema latest = registry.latest(subject);
                id = latest.id();
                if (!latest.schema().equals(schema)) {
                    toWrite = convert(record, schema, latest.schema());
                    schema = latest.schema();
                }
            } else {
                id = registry.idOf(subject, schema);
            }
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not serialize " + schema.getFullName() + " for topic '" + topic
                    + "' (" + (isKey ? "key" : "value") + ", subject '" + subject + "'): " + e.getMessage(), e);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_SIZE);
            WireFormat.writeHeader(header, id);
            out.write(header.array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writerFor(schema, toWrite).write(toWrite, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not serialize " + schema.getFullName() + " for topic '" + topic
                    + "' with schema id " + id + ": " + e.getMessage(), e);
        }
    }

    private DatumWriter<Object> writerFor(Schema schema, Object datum) {
        return writers.computeIfAbsent(schema, s -> datum instanceof SpecificRecord
                ? new SpecificDatumWriter<>(s, SpecificData.getForSchema(s))
                : new GenericDatumWriter<>(s, GenericData.get()));
    }

    /** Re-reads the record through Avro's schema resolution so it fits the registered latest schema. */
    private static Object convert(GenericContainer record, Schema writer, Schema target) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        DatumWriter<Object> datumWriter = record instanceof SpecificRecord
                ? new SpecificDatumWriter<>(writer, SpecificData.getForSchema(writer))
                : new GenericDatumWriter<>(writer);
        datumWriter.write(record, encoder);
        encoder.flush();
        return new GenericDatumReader<>(writer, target)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }
}
