package dev.agenda.schemas.serde;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Talks to any registry speaking the Confluent REST API (Confluent Schema Registry, Apicurio's ccompat API,
 * Karapace). Every call goes over HTTP: wrap it in {@link CachingSchemaRegistryClient}.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUris;
    private final String authorization;
    private final HttpClient http;

    /**
     * @param urls     comma-separated base URLs, as in Confluent's {@code schema.registry.url}
     * @param userInfo {@code user:password} for basic auth, or null
     */
    public RestSchemaRegistryClient(String urls, String userInfo) {
        if (urls == null || urls.isBlank()) {
            throw new IllegalArgumentException("schema.registry.url is required");
        }
        this.baseUris = java.util.Arrays.stream(urls.split(","))
                .map(String::trim)
                .filter(u -> !u.isEmpty())
                .map(u -> URI.create(u.endsWith("/") ? u : u + "/"))
                .toList();
        this.authorization = userInfo == null || userInfo.isBlank() ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        return send("POST", "subjects/" + encode(subject) + "/versions", schemaBody(schema)).path("id").asInt();
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return send("POST", "subjects/" + encode(subject), schemaBody(schema)).path("id").asInt();
    }

    @Override
    public RegisteredSchema latest(String subject) {
        JsonNode answer = send("GET", "subjects/" + encode(subject) + "/versions/latest", null);
        return new RegisteredSchema(answer.path("id").asInt(), answer.path("version").asInt(),
                parse(answer.path("schema").asText()));
    }

    @Override
    public Schema byId(int id) {
        return parse(send("GET", "schemas/ids/" + id, null).path("schema").asText());
    }

    private static Schema parse(String text) {
        return new Schema.Parser().parse(text);
    }

    private static String schemaBody(Schema schema) {
        try {
            return JSON.writeValueAsString(Map.of("schemaType", "AVRO", "schema", schema.toString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    private JsonNode send(String method, String path, String body) {
        SchemaRegistryException last = null;
        for (URI base : baseUris) {
            URI uri = base.resolve(path);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10))
                    .header("Accept", CONTENT_TYPE + ", application/json");
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE);
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                last = new SchemaRegistryException("schema registry unreachable at " + uri + ": " + e, -1, e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while calling " + uri, -1, e);
            }
            if (response.statusCode() / 100 != 2) {
                throw new SchemaRegistryException(method + " " + uri + " answered " + response.statusCode() + ": "
                        + abbreviate(response.body()), response.statusCode(), null);
            }
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new SchemaRegistryException(method + " " + uri + " answered unreadable JSON: "
                        + abbreviate(response.body()), response.statusCode(), e);
            }
        }
        throw last;
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
