package dev.agenda.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings each service gets: the stack's addresses, and the names each service's application.yml reads. */
class StackServiceTest {

    @TempDir
    Path data;

    private final StackConfig.Ports ports = new StackConfig.Ports(19092, 19093, 37017, 18085, 12525, 18025, 18081,
            18082, 18083, 11143);

    @Test
    void everyServiceGetsTheInfrastructureItsPortAndTheAdminPassword() {
        StackInfrastructure infra = new StackInfrastructure(new StackConfig(data, data, ports, false));
        StackSecrets secrets = new StackSecrets("admin", "pw", true, "key");

        for (StackService service : StackService.values()) {
            Map<String, String> s = service.settings(infra, secrets);
            assertThat(s).containsEntry("spring.kafka.bootstrap-servers", "127.0.0.1:19092")
                    .containsEntry("spring.kafka.properties.schema.registry.url",
                            "http://127.0.0.1:18085/apis/ccompat/v7")
                    .containsEntry("spring.mongodb.uri", "mongodb://127.0.0.1:37017")
                    .containsEntry("spring.mail.host", "127.0.0.1")
                    .containsEntry("spring.mail.port", "12525")
                    .containsEntry("server.address", "127.0.0.1")
                    .containsEntry("agenda.security.admin-password", "pw");
        }
        assertThat(StackService.EVENT.settings(infra, secrets)).containsEntry("server.port", "18081")
                .doesNotContainKey("agenda.notification.token-key");
    }

    @Test
    void thePublishingServiceWritesTheSiteUnderTheDataDirectoryAndTheNotificationServiceLinksToIt() {
        StackInfrastructure infra = new StackInfrastructure(new StackConfig(data, data, ports, false));
        StackSecrets secrets = new StackSecrets("admin", "pw", true, "key");

        assertThat(StackService.PUBLISHING.settings(infra, secrets)).containsEntry("server.port", "18083")
                .containsEntry("agenda.site.output-dir", data.resolve("site").toString())
                .containsEntry("agenda.site.base-url", "http://127.0.0.1:18083")
                .containsEntry("agenda.site.subscribe-url", "http://127.0.0.1:18082/api/subscriptions");
        assertThat(StackService.NOTIFICATION.settings(infra, secrets)).containsEntry("server.port", "18082")
                .containsEntry("agenda.notification.token-key", "key")
                .containsEntry("agenda.notification.public-base-url", "http://127.0.0.1:18082")
                .containsEntry("agenda.notification.site-base-url", "http://127.0.0.1:18083")
                .containsEntry("agenda.notification.cors-origins", "http://127.0.0.1:18083,http://localhost:18083")
                .containsEntry("agenda.notification.unsubscribe-mailbox.host", "127.0.0.1")
                .containsEntry("agenda.notification.unsubscribe-mailbox.port", "11143")
                .containsEntry("agenda.notification.unsubscribe-mailbox.username", "unsubscribe@agenda.localhost");
        assertThat(StackService.EVENT.settings(infra, secrets))
                .doesNotContainKey("agenda.notification.unsubscribe-mailbox.port");
    }
}
