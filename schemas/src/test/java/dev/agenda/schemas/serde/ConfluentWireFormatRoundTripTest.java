package dev.agenda.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.agenda.infra.LocalInfrastructure;
import dev.agenda.schemas.Access;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.EventStatus;
import dev.agenda.schemas.Image;
import dev.agenda.schemas.InfoField;
import dev.agenda.schemas.Location;

/** Against the real registry (Apicurio's Confluent-compatible API), as the services use it. */
class ConfluentWireFormatRoundTripTest {

    private static String registryUrl;

    @BeforeAll
    static void startRegistry() {
        registryUrl = LocalInfrastructure.shared().registry().confluentApiUrl();
    }

    private static Map<String, Object> config() {
        return Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl, SerdeConfig.SPECIFIC_AVRO_READER, true);
    }

    private static <T extends org.apache.kafka.common.serialization.Serializer<?>> T configured(T serde) {
        serde.configure(config(), false);
        return serde;
    }

    static EventPublished sampleEvent() {
        Instant start = Instant.parse("2022-03-17T12:45:00Z");
        return EventPublished.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setRevision(3)
                .setStatus(EventStatus.CANCELLED)
                .setSlug("atelier-design-des-services-publics")
                .setTitle("Atelier « design » des services publics")
                .setLead("Un atelier pour découvrir le design")
                .setPrimaryCategory("Formation")
                .setCategories(List.of("Formation", "Atelier"))
                .setTags(List.of("Design", "Accessibilité"))
                .setImages(List.of(Image.newBuilder().setUrl("/assets/img/atelier.jpg").setCaption("Légende")
                        .setAltText("Des personnes autour d'une table").build()))
                .setStartsAt(start)
                .setEndsAt(start.plus(1, ChronoUnit.HOURS))
                .setTimeZone("Europe/Paris")
                .setLocation(Location.newBuilder().setName("Evénement 100% en ligne").setOnline(true).build())
                .setAccess(List.of(Access.newBuilder().setType("Métro").setLines(List.of("1", "14")).build()))
                .setInfos(List.of(InfoField.newBuilder().setLabel("Inscription").setContent("Sur Eventbrite")
                        .setLink("https://www.eventbrite.fr/e/123").build()))
                .setBody("## Programme\n\n<div class=\"encadre noir\">Texte</div>\n{: .encadre}")
                .setFirstPublishedAt(start.minus(10, ChronoUnit.DAYS))
                .setUpdatedAt(start.minus(1, ChronoUnit.DAYS))
                .build();
    }

    @Test
    void writesTheConfluentWireFormatWithAnIdTheRegistryResolvesToTheSameSchema() throws Exception {
        EventPublished event = sampleEvent();
        byte[] bytes = configured(new ConfluentAvroSerializer<EventPublished>()).serialize("agenda.events", event);

        assertThat(bytes[0]).isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(registryUrl + "/schemas/ids/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Schema registered = new Schema.Parser().parse(new ObjectMapper().readTree(response.body()).get("schema").asText());
        assertThat(registered).isEqualTo(EventPublished.getClassSchema());

        ConfluentAvroDeserializer<EventPublished> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(config(), false);
        assertThat(deserializer.deserialize("agenda.events", bytes)).isEqualTo(event);
    }

    @Test
    void aTombstoneStaysNull() {
        assertThat(configured(new ConfluentAvroSerializer<EventPublished>()).serialize("agenda.events", null)).isNull();
        ConfluentAvroDeserializer<EventPublished> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(config(), false);
        assertThat(deserializer.deserialize("agenda.events", (byte[]) null)).isNull();
    }

    @Test
    void aRecordWrittenWithAnOlderSchemaVersionDecodesWithTheCurrentReader() throws Exception {
        Schema older = new Schema.Parser().parse(Path.of("src/test/resources/fixtures/EventPublished-older.avsc").toFile());
        GenericRecord old = new GenericData.Record(older);
        old.put("eventId", "0b1d3f7e-0000-4000-8000-000000000001");
        old.put("revision", 7L);
        old.put("slug", "ancien-format");
        old.put("title", "Écrit avec l'ancien schéma");
        old.put("lead", null);
        old.put("startsAt", 1_647_521_100_000L);
        old.put("updatedAt", 1_647_000_000_000L);
        String topic = "compat-" + UUID.randomUUID();
        // The old producer registers its own (older) version under the subject, as a real one would have.
        byte[] bytes = configured(new ConfluentAvroSerializer<GenericRecord>()).serialize(topic, old);

        ConfluentAvroDeserializer<EventPublished> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(config(), false);
        EventPublished read = deserializer.deserialize(topic, bytes);

        assertThat(read.getTitle()).isEqualTo("Écrit avec l'ancien schéma");
        assertThat(read.getRevision()).isEqualTo(7L);
        assertThat(read.getStartsAt()).isEqualTo(Instant.ofEpochMilli(1_647_521_100_000L));
        assertThat(read.getStatus()).isEqualTo(EventStatus.SCHEDULED);
        assertThat(read.getTimeZone()).isEqualTo("Europe/Paris");
        assertThat(read.getCategories()).isEmpty();
        assertThat(read.getLocation()).isNull();
    }

    @Test
    void aRecordWrittenWithTheCurrentSchemaDecodesWithAnOlderGenericReader() throws Exception {
        Schema older = new Schema.Parser().parse(Path.of("src/test/resources/fixtures/EventPublished-older.avsc").toFile());
        byte[] bytes = configured(new ConfluentAvroSerializer<EventPublished>()).serialize("agenda.events", sampleEvent());
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        Schema writer = new RestSchemaRegistryClient(registryUrl, null).byId(id);

        GenericRecord read = new org.apache.avro.generic.GenericDatumReader<GenericRecord>(writer, older).read(null,
                org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));

        assertThat(read.get("title").toString()).isEqualTo("Atelier « design » des services publics");
        assertThat(read.get("revision")).isEqualTo(3L);
    }

    @Test
    void useLatestVersionWritesWithTheRegisteredSchemaWithoutRegistering() throws Exception {
        String topic = "latest-" + UUID.randomUUID();
        EventPublished event = sampleEvent();
        int registeredId = ByteBuffer.wrap(configured(new ConfluentAvroSerializer<EventPublished>())
                .serialize(topic, event), 1, 4).getInt();
        ConfluentAvroSerializer<EventPublished> latest = new ConfluentAvroSerializer<>();
        latest.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl,
                SerdeConfig.AUTO_REGISTER_SCHEMAS, false, SerdeConfig.USE_LATEST_VERSION, true), false);

        byte[] bytes = latest.serialize(topic, event);

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registeredId);
        ConfluentAvroDeserializer<EventPublished> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(config(), false);
        assertThat(deserializer.deserialize(topic, bytes)).isEqualTo(event);
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaIsAClearError() {
        ConfluentAvroSerializer<EventPublished> strict = new ConfluentAvroSerializer<>();
        strict.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl,
                SerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);
        String topic = "never-registered-" + UUID.randomUUID();

        assertThatThrownBy(() -> strict.serialize(topic, sampleEvent()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(topic + "-value");
    }

    @Test
    void anUnknownSchemaIdIsAClearError() {
        byte[] bytes = ByteBuffer.allocate(10).put((byte) 0).putInt(987_654).put(new byte[] {2, 4, 6, 8, 10}).array();
        ConfluentAvroDeserializer<EventPublished> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(config(), false);

        assertThatThrownBy(() -> deserializer.deserialize("agenda.events", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'agenda.events' (value)")
                .hasMessageContaining("unknown schema id 987654");
    }

    @Test
    void garbageBytesAreAClearError() {
        ConfluentAvroDeserializer<EventPublished> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(config(), false);

        assertThatThrownBy(() -> deserializer.deserialize("agenda.events", "not avro at all".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'agenda.events' (value)")
                .hasMessageContaining("magic byte");
        assertThatThrownBy(() -> deserializer.deserialize("agenda.events", new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("shorter than the 5-byte");
    }

    @Test
    void corruptAvroAfterAValidHeaderIsAClearErrorNamingTheId() throws Exception {
        byte[] valid = configured(new ConfluentAvroSerializer<EventPublished>()).serialize("agenda.events", sampleEvent());
        int id = ByteBuffer.wrap(valid, 1, 4).getInt();
        byte[] corrupt = ByteBuffer.allocate(9).put((byte) 0).putInt(id).put(new byte[] {(byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff}).array();
        ConfluentAvroDeserializer<EventPublished> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(config(), false);

        assertThatThrownBy(() -> deserializer.deserialize("agenda.events", corrupt))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id " + id)
                .hasMessageContaining("corrupt Avro data");
    }

    @Test
    void anUnreachableRegistryIsAClearError() {
        ConfluentAvroSerializer<EventPublished> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + dev.agenda.infra.Ports.free()),
                false);

        assertThatThrownBy(() -> serializer.serialize("agenda.events", sampleEvent()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("agenda.events")
                .hasMessageContaining("unreachable");
    }

    @Test
    void idsAreCachedBothWays() {
        CountingClient counting = new CountingClient(new RestSchemaRegistryClient(registryUrl, null));
        CachingSchemaRegistryClient cached = new CachingSchemaRegistryClient(counting);
        ConfluentAvroSerializer<EventPublished> serializer = new ConfluentAvroSerializer<>(cached, config(), false);
        // A consumer elsewhere has its own cache: it learns each id once.
        ConfluentAvroDeserializer<EventPublished> deserializer = new ConfluentAvroDeserializer<>(
                new CachingSchemaRegistryClient(counting), config(), false);

        for (int i = 0; i < 5; i++) {
            deserializer.deserialize("agenda.events", serializer.serialize("agenda.events", sampleEvent()));
        }

        assertThat(counting.registrations).isEqualTo(1);
        assertThat(counting.lookups).isEqualTo(1);
    }

    /** Counts the calls that reach the registry. */
    private static final class CountingClient implements SchemaRegistryClient {
        private final RestSchemaRegistryClient delegate;
        int registrations;
        int lookups;

        CountingClient(RestSchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public int register(String subject, Schema schema) {
            registrations++;
            return delegate.register(subject, schema);
        }

        @Override
        public int idOf(String subject, Schema schema) {
            return delegate.idOf(subject, schema);
        }

        @Override
        public RegisteredSchema latest(String subject) {
            return delegate.latest(subject);
        }

        @Override
        public Schema byId(int id) {
            lookups++;
            return delegate.byId(id);
        }
    }
}
