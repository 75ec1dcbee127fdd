package dev.agenda.infra.containers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;
import org.testcontainers.utility.DockerImageName;

import dev.agenda.infra.LocalInfrastructure;

/**
 * The production components in Docker, for the Testcontainers variant of the service integration tests: Apache
 * Kafka (KRaft), Confluent Schema Registry and a MongoDB replica set, the images docker-compose.yml runs. Mail stays
 * the local GreenMail sink (an SMTP server is an SMTP server; the tests read its inbox). Started once per JVM, on
 * first use, and only where a Docker engine answers: tests using it are annotated
 * {@code @Testcontainers(disabledWithoutDocker = true)}.
 */
public final class ContainerInfrastructure {

    public static final String KAFKA_IMAGE = "apache/kafka:4.1.2";
    public static final String SCHEMA_REGISTRY_IMAGE = "confluentinc/cp-schema-registry:7.9.0";
    public static final String MONGO_IMAGE = "mongo:8.0";

    private static ContainerInfrastructure shared;

    private final KafkaContainer kafka;
    private final GenericContainer<?> registry;
    private final MongoDBContainer mongo;

    private ContainerInfrastructure() {
        Network network = Network.newNetwork();
        kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE))
                .withNetwork(network)
                // A second listener the registry reaches inside the network; tests use the mapped host port.
                .withListener("kafka:19092");
        registry = new GenericContainer<>(DockerImageName.parse(SCHEMA_REGISTRY_IMAGE))
                .withNetwork(network)
                .withExposedPorts(8081)
                .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
                .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)))
                .dependsOn(kafka);
        mongo = new MongoDBContainer(DockerImageName.parse(MONGO_IMAGE));
    }

    /** True where a Docker engine answers; the local infrastructure is the one that always runs. */
    public static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    public static synchronized ContainerInfrastructure shared() {
        if (shared == null) {
            ContainerInfrastructure started = new ContainerInfrastructure();
            started.kafka.start();
            started.registry.start();
            started.mongo.start();
            shared = started;
        }
        return shared;
    }

    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    /** Confluent Schema Registry's REST API: the same API our serde speaks to Apicurio's ccompat endpoint. */
    public String schemaRegistryUrl() {
        return "http://" + registry.getHost() + ":" + registry.getMappedPort(8081);
    }

    /** A single-node replica set: change streams and transactions work as in production. */
    public String mongoUri() {
        return mongo.getReplicaSetUrl();
    }

    /**
     * The same keys as {@link LocalInfrastructure#springProperties()}, with Kafka, the registry and MongoDB in
     * containers and mail on the local GreenMail sink.
     */
    public Map<String, String> springProperties() {
        Map<String, String> p = new LinkedHashMap<>(LocalInfrastructure.shared().mailProperties());
        p.put("spring.kafka.bootstrap-servers", kafkaBootstrapServers());
        p.put("spring.kafka.properties.schema.registry.url", schemaRegistryUrl());
        p.put("spring.mongodb.uri", mongoUri());
        return p;
    }
}
