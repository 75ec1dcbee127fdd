package dev.agenda.schemas.serde;

import java.nio.ByteBuffer;

/** Confluent's wire format: magic byte 0, the schema id as a 4-byte big-endian int, then Avro binary. */
final class WireFormat {

    static final byte MAGIC_BYTE = 0x0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    static void writeHeader(ByteBuffer buffer, int schemaId) {
        buffer.put(MAGIC_BYTE).putInt(schemaId);
    }
}
