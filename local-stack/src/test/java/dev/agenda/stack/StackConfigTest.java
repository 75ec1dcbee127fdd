package dev.agenda.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class StackConfigTest {

    @Test
    void defaultsAreTheDocumentedPortsAndDataUnderTheRoot() {
        StackConfig config = StackConfig.resolve(List.of("--root=/srv/agenda"), Map.of(), new Properties());

        assertThat(config.ports()).isEqualTo(new StackConfig.Ports(9092, 9093, 27017, 8085, 2525, 8025, 8081, 8082,
                8083, 1143));
        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/agenda/data"));
        assertThat(config.logDir()).isEqualTo(Path.of("/srv/agenda/data/logs"));
        assertThat(config.siteDir()).isEqualTo(Path.of("/srv/agenda/data/site"));
        assertThat(config.infraOnly()).isFalse();
    }

    @Test
    void environmentOverridesEachPortAndSystemPropertiesOverrideTheEnvironment() {
        Properties system = new Properties();
        system.setProperty("agenda.kafka.port", "29092");
        Map<String, String> env = Map.of("AGENDA_KAFKA_PORT", "19092", "AGENDA_MONGO_PORT", "37017",
                "AGENDA_EVENT_SERVICE_PORT", "18081", "AGENDA_INBOX_PORT", "18025", "AGENDA_DATA_DIR", "/tmp/x");

        StackConfig config = StackConfig.resolve(List.of("--root=/srv/agenda"), env, system);

        assertThat(config.ports().kafka()).isEqualTo(29092);
        assertThat(config.ports().mongo()).isEqualTo(37017);
        assertThat(config.ports().eventService()).isEqualTo(18081);
        assertThat(config.ports().inbox()).isEqualTo(18025);
        assertThat(config.ports().registry()).isEqualTo(8085);
        assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void flagsWinOverSettings() {
        StackConfig config = StackConfig.resolve(List.of("--infra-only", "--root=/a", "--data-dir=/b"),
                Map.of("AGENDA_DATA_DIR", "/c"), new Properties());

        assertThat(config.infraOnly()).isTrue();
        assertThat(config.rootDir()).isEqualTo(Path.of("/a"));
        assertThat(config.dataDir()).isEqualTo(Path.of("/b"));
    }

    @Test
    void rejectsWhatItCannotUse() {
        assertThatThrownBy(() -> StackConfig.resolve(List.of(), Map.of("AGENDA_SMTP_PORT", "smtp"), new Properties()))
                .isInstanceOf(StackConfig.UsageException.class).hasMessageContaining("AGENDA_SMTP_PORT");
        assertThatThrownBy(() -> StackConfig.resolve(List.of(), Map.of("AGENDA_SMTP_PORT", "70000"),
                new Properties())).isInstanceOf(StackConfig.UsageException.class);
        assertThatThrownBy(() -> StackConfig.resolve(List.of("--infra"), Map.of(), new Properties()))
                .isInstanceOf(StackConfig.UsageException.class).hasMessageContaining("--infra");
    }

    @Test
    void findsTheCheckoutFromItsOwnLocation() {
        Path root = StackConfig.findRoot();

        assertThat(root.resolve("local-stack/pom.xml")).isRegularFile();
        assertThat(root.resolve("pom.xml")).isRegularFile();
    }
}
