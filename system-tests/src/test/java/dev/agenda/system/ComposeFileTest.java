package dev.agenda.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** No Docker engine runs here, so the compose file is checked against the Compose Specification schema instead. */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("../docker-compose.yml");

    private static JsonNode composeFile() throws Exception {
        // SnakeYAML resolves anchors and merge keys (<<: *x) as Compose does; Jackson's YAML reader keeps '<<' as a key.
        Object yaml = new org.yaml.snakeyaml.Yaml().load(Files.readString(COMPOSE));
        return new ObjectMapper().valueToTree(yaml);
    }

    private static Set<ValidationMessage> validate(JsonNode document) throws Exception {
        try (InputStream in = ComposeFileTest.class.getResourceAsStream("/compose-spec.json")) {
            JsonNode schema = new ObjectMapper().readTree(in);
            dropLegacyIds(schema);
            JsonSchema compose = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(schema);
            return compose.validate(document);
        }
    }

    /** The schema still carries draft-04 {@code "id": "#/definitions/..."} markers, unknown to a 2019-09 validator. */
    private static void dropLegacyIds(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            if (object.path("id").isTextual()) {
                object.remove("id");
            }
            object.elements().forEachRemaining(ComposeFileTest::dropLegacyIds);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(ComposeFileTest::dropLegacyIds);
        }
    }

    @Test
    void dockerComposeFileFollowsTheComposeSpecification() throws Exception {
        assertThat(validate(composeFile())).isEmpty();
    }

    @Test
    void theValidationWouldCatchAMistake() throws Exception {
        JsonNode broken = composeFile();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("services").get("kafka")).put("restart_policy", "always");

        assertThat(validate(broken)).isNotEmpty();
    }

    /**
     * What differs from a developer's machine is the deployment's environment (each service has one application.yml):
     * a secret left unset stops the start instead of being generated and logged, logs are structured, and the site is
     * written where nginx reads it.
     */
    @Test
    void theAgendaServicesRunAsADeploymentNotAsADevelopersMachine() throws Exception {
        JsonNode services = composeFile().get("services");
        for (String name : List.of("event-service", "notification-service", "publishing-service")) {
            JsonNode environment = services.get(name).get("environment");
            assertThat(environment.path("AGENDA_SECURITY_ALLOW_GENERATED_SECRETS").asText()).as(name).isEqualTo("false");
            assertThat(environment.path("LOGGING_STRUCTURED_FORMAT_CONSOLE").asText()).as(name).isEqualTo("ecs");
            assertThat(environment.has("SPRING_PROFILES_ACTIVE")).as(name).isFalse();
        }
        JsonNode publishing = services.get("publishing-service");
        String siteDir = publishing.get("environment").path("AGENDA_SITE_DIR").asText();
        assertThat(siteDir).isNotEmpty();
        assertThat(publishing.get("volumes").toString()).contains("site:" + siteDir);
        assertThat(services.get("site").get("volumes").toString()).contains("site:");
    }

    @Test
    void everyServiceHasAHealthCheckAndEveryStatefulOneAVolume() throws Exception {
        JsonNode services = composeFile().get("services");
        List<String> withoutHealthCheck = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> {
            if (!services.get(name).has("healthcheck")) {
                withoutHealthCheck.add(name);
            }
        });
        assertThat(withoutHealthCheck).isEmpty();
        assertThat(services.get("kafka").get("volumes")).isNotEmpty();
        assertThat(services.get("mongodb").get("volumes")).isNotEmpty();
        assertThat(services.get("mongodb").get("command").toString()).contains("--replSet");
    }

    /** Docker's default log driver keeps everything a container writes: months of logs would fill the host's disk. */
    @Test
    void everyContainersLogsAreRotated() throws Exception {
        JsonNode services = composeFile().get("services");
        List<String> unbounded = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> {
            JsonNode logging = services.get(name).path("logging");
            boolean rotated = "json-file".equals(logging.path("driver").asText())
                    && logging.path("options").path("max-size").asText().matches("[0-9]+[kmg]")
                    && logging.path("options").path("max-file").asText().matches("[0-9]+");
            if (!rotated) {
                unbounded.add(name);
            }
        });
        assertThat(unbounded).isEmpty();
    }

    /**
     * A container that exits (out of memory, a crash) is started again, and the services get the time Spring takes to
     * finish what is in flight on SIGTERM (30 s per shutdown phase) before Docker kills them (10 s by default).
     */
    @Test
    void everyContainerIsRestartedAndTheServicesStopGracefully() throws Exception {
        JsonNode services = composeFile().get("services");
        List<String> notRestarted = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> {
            if (!List.of("unless-stopped", "always").contains(services.get(name).path("restart").asText())) {
                notRestarted.add(name);
            }
        });
        assertThat(notRestarted).isEmpty();
        for (String service : List.of("event-service", "publishing-service", "notification-service")) {
            String grace = services.get(service).path("stop_grace_period").asText();
            assertThat(grace).as(service).matches("[0-9]+s");
            assertThat(Integer.parseInt(grace.replace("s", ""))).as(service).isGreaterThan(30);
        }
    }

    @Test
    void noSecretIsWrittenInTheComposeFile() throws Exception {
        String text = Files.readString(COMPOSE);
        assertThat(text).contains("${AGENDA_ADMIN_PASSWORD:?").contains("${AGENDA_TOKEN_KEY:?");
        assertThat(text).doesNotContainPattern("(?i)password:\\s*['\"]?[A-Za-z0-9]{6,}");
    }

    @Test
    void everyFileTheComposeFileMountsExistsInTheRepository() throws Exception {
        JsonNode services = composeFile().get("services");
        List<String> missing = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> services.get(name).path("volumes").forEach(volume -> {
            String source = volume.asText().split(":")[0];
            if (source.startsWith("./") && !Files.exists(COMPOSE.resolveSibling(source))) {
                missing.add(name + ": " + source);
            }
        }));
        assertThat(missing).isEmpty();
    }

    /**
     * A named volume mounted where the image has no directory is created owned by root, 755: a service running as the
     * image's unprivileged user could not write to it (the publishing-service could not prepare its site directory
     * and never started). The image must create each such directory, owned by that user, so that Docker copies the
     * ownership into the fresh volume.
     */
    @Test
    void everyVolumeAServiceWritesToBelongsToTheUserItRunsAs() throws Exception {
        JsonNode services = composeFile().get("services");
        String dockerfile = Files.readString(COMPOSE.resolveSibling("deploy/Dockerfile"));
        java.util.regex.Matcher userLine = java.util.regex.Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(dockerfile);
        assertThat(userLine.find()).as("the image runs as an unprivileged USER").isTrue();
        String user = userLine.group(1);
        List<String> notWritable = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> {
            JsonNode service = services.get(name);
            if (!"deploy/Dockerfile".equals(service.path("build").path("dockerfile").asText())) {
                return;
            }
            service.path("volumes").forEach(volume -> {
                String[] parts = volume.asText().split(":");
                boolean readOnly = parts.length > 2 && parts[2].contains("ro");
                if (parts[0].startsWith(".") || parts[0].startsWith("/") || readOnly) {
                    return; // a bind mount keeps the host's ownership; a read-only one is never written
                }
                String target = java.util.regex.Pattern.quote(parts[1]);
                boolean created = java.util.regex.Pattern.compile("(?m)mkdir -p [^\\n&;]*" + target + "(\\s|$)")
                        .matcher(dockerfile).find();
                boolean owned = java.util.regex.Pattern.compile("(?m)chown [^\\n&;]*" + java.util.regex.Pattern.quote(user)
                        + "[^\\n&;]*" + target + "(\\s|$)").matcher(dockerfile).find();
                if (!created || !owned) {
                    notWritable.add(name + ": " + parts[1]);
                }
            });
        });
        assertThat(notWritable).isEmpty();
    }

    @Test
    void theSitesContentSecurityPolicyLetsItsSubscriptionFormReachTheNotificationService() throws Exception {
        JsonNode site = composeFile().get("services").get("site");
        String template = Files.readString(COMPOSE.resolveSibling("deploy/nginx/site.conf.template"));

        // The form on the agenda page posts to the notification-service's public URL, another origin than the site's.
        assertThat(template).containsPattern("connect-src 'self' \\$\\{AGENDA_NOTIFICATION_PUBLIC_URL}");
        // Defence in depth behind the sanitiser: no inline script may run, no other site may frame the pages.
        String policy = template.lines().filter(l -> l.contains("Content-Security-Policy")).findFirst().orElseThrow();
        java.util.regex.Matcher scripts = java.util.regex.Pattern.compile("script-src [^;\"]*").matcher(policy);
        assertThat(scripts.find()).isTrue();
        assertThat(scripts.group()).isEqualTo("script-src 'self'");
        assertThat(policy).contains("frame-ancestors 'self'").contains("object-src 'none'").contains("base-uri 'self'");
        assertThat(site.get("environment").path("AGENDA_NOTIFICATION_PUBLIC_URL").asText())
                .isEqualTo("${AGENDA_NOTIFICATION_PUBLIC_URL:-http://localhost:8082}");
        assertThat(composeFile().get("services").get("publishing-service").get("environment")
                .path("AGENDA_SITE_SUBSCRIBE_URL").asText())
                .isEqualTo("${AGENDA_NOTIFICATION_PUBLIC_URL:-http://localhost:8082}/api/subscriptions");
    }

    @Test
    void theSitesContentSecurityPolicyLetsTheVideoPlayersTheSanitiserKeepsPlay() throws Exception {
        String template = Files.readString(COMPOSE.resolveSibling("deploy/nginx/site.conf.template"));
        assertThat(template).contains("frame-src ${AGENDA_SITE_FRAME_SOURCES};");
        String sources = composeFile().get("services").get("site").get("environment")
                .path("AGENDA_SITE_FRAME_SOURCES").asText();
        // The publishing-service's default iframe hosts, as its settings declare them: the corpus' one video
        // (peertube.designersethiques.org) was kept in the page and then blocked by the policy.
        String settings = Files.readString(COMPOSE.resolveSibling(
                "publishing-service/src/main/java/dev/agenda/publishing/site/SiteProperties.java"));
        java.util.regex.Matcher hosts = java.util.regex.Pattern.compile(
                "@DefaultValue\\(\\{([^}]*)}\\)\\s*List<String> iframeHosts").matcher(settings);
        assertThat(hosts.find()).isTrue();
        List<String> declared = java.util.Arrays.stream(hosts.group(1).split(","))
                .map(h -> h.strip().replace("\"", "")).toList();
        assertThat(declared).contains("peertube.designersethiques.org");
        for (String host : declared) {
            assertThat(sources).as(host).containsPattern("(^|\\s|-)https://" + java.util.regex.Pattern.quote(host)
                    + "(\\s|}|$)");
        }
    }

    @Test
    void theSiteServesItsAtomFeedAsAtom() throws Exception {
        String template = Files.readString(COMPOSE.resolveSibling("deploy/nginx/site.conf.template"));

        // Feed readers and browsers tell an Atom feed by its type; feed.xml would otherwise be text/xml.
        assertThat(template).containsPattern(
                "location = /agenda/feed\\.xml \\{\\s*types \\{ }\\s*default_type application/atom\\+xml;");
    }
}
