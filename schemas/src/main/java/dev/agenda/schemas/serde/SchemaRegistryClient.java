package dev.agenda.schemas.serde;

import org.apache.avro.Schema;

/** The part of the Confluent Schema Registry REST API the serde needs. */
public interface SchemaRegistryClient {

    /** Registers (or finds) the schema under the subject and returns its global id. */
    int register(String subject, Schema schema);

    /** Id of a schema already registered under the subject, without registering it. */
    int idOf(String subject, Schema schema);

    /** The latest version registered under the subject. */
    RegisteredSchema latest(String subject);

    /** The schema with this id. */
    Schema byId(int id);

    record RegisteredSchema(int id, int version, Schema schema) {
    }
}
