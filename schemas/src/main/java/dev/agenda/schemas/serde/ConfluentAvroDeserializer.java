package dev.agenda.schemas.serde;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format. The writer schema comes from the registry by id; with
 * {@code specific.avro.reader=true} the reader schema is the one of the generated class of the same full name, and
 * Avro's resolving decoder bridges the two (old writer and new reader, or the reverse). Without it, records are
 * {@link org.apache.avro.generic.GenericRecord}s in the writer's schema.
 */
public class ConfluentAvroDeserializer<T> implements Deserializer<T> {

    private SchemaRegistryClient registry;
    private boolean isKey;
    private boolean specificReader;
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    public ConfluentAvroDeserializer() {
    }

    public ConfluentAvroDeserializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
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
        this.specificReader = SerdeConfig.flag(configs, SerdeConfig.SPECIFIC_AVRO_READER, false);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : deserialize(topic, ByteBuffer.wrap(data));
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data);
    }

    @Override
    public T deserialize(String topic, Headers headers, ByteBuffer data) {
        return data == null ? null : deserialize(topic, data);
    }

    @SuppressWarnings("unchecked")
    private T deserialize(String topic, ByteBuffer buffer) {
        String where = "topic '" + topic + "' (" + (isKey ? "key" : "value") + ")";
        if (buffer.remaining() < WireFormat.HEADER_SIZE) {
            throw new SerializationException("Could not deserialize " + where + ": " + buffer.remaining()
                    + " bytes is shorter than the 5-byte Confluent wire-format header");
        }
        byte magic = buffer.get();
        if (magic != WireFormat.MAGIC_BYTE) {
            throw new SerializationException("Could not deserialize " + where + ": unknown magic byte 0x"
                    + String.format("%02x", magic) + " (expected 0x00, the Confluent wire format)");
        }
        int id = buffer.getInt();
        DatumReader<Object> reader;
        try {
            reader = readers.computeIfAbsent(id, this::readerFor);
        } catch (SchemaRegistryException e) {
            String reason = e.notFound() ? "unknown schema id " + id : "schema id " + id + " could not be fetched";
            throw new SerializationException("Could not deserialize " + where + ": " + reason + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new SerializationException("Could not deserialize " + where + " with schema id " + id + ": " + e, e);
        }
        try {
            byte[] bytes;
            int offset;
            int length = buffer.remaining();
            if (buffer.hasArray()) {
                bytes = buffer.array();
                offset = buffer.arrayOffset() + buffer.position();
            } else {
                bytes = new byte[length];
                buffer.get(bytes);
                offset = 0;
            }
            return (T) reader.read(null, DecoderFactory.get().binaryDecoder(bytes, offset, length, null));
        } catch (Exception | StackOverflowError e) {
            throw new SerializationException("Could not deserialize " + where + " with schema id " + id
                    + ": corrupt Avro data (" + e + ")", e);
        }
    }

    private DatumReader<Object> readerFor(int id) {
        Schema writer = registry.byId(id);
        if (!specificReader) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        SpecificData data = SpecificData.getForSchema(writer);
        Class<?> type = data.getClass(writer);
        if (type == null) {
            throw new IllegalStateException("no generated class for " + writer.getFullName()
                    + " on the classpath, needed by specific.avro.reader=true");
        }
        Schema reader = data.getSchema(type);
        return new SpecificDatumReader<>(writer, reader, data);
    }
}
