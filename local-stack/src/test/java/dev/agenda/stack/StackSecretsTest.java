package dev.agenda.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackSecretsTest {

    @TempDir
    Path dataDir;

    @Test
    void generatesOnceKeepsThemOwnerOnlyAndReusesThemOnTheNextStart() throws Exception {
        StackSecrets first = StackSecrets.load(dataDir, Map.of());
        StackSecrets second = StackSecrets.load(dataDir, Map.of());

        assertThat(first.adminUser()).isEqualTo("admin");
        assertThat(first.adminPassword()).hasSizeGreaterThanOrEqualTo(20).isEqualTo(second.adminPassword());
        assertThat(first.tokenKey()).hasSizeGreaterThanOrEqualTo(40).isEqualTo(second.tokenKey())
                .isNotEqualTo(first.adminPassword());
        assertThat(first.adminPasswordGenerated()).isTrue();
        Path file = dataDir.resolve(StackSecrets.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.toString()).doesNotContain(first.adminPassword()).doesNotContain(first.tokenKey());
    }

    @Test
    void theEnvironmentWinsAndIsNotWrittenDown() throws Exception {
        StackSecrets secrets = StackSecrets.load(dataDir,
                Map.of("AGENDA_ADMIN_PASSWORD", "chosen-password", "AGENDA_TOKEN_KEY", "chosen-key"));

        assertThat(secrets.adminPassword()).isEqualTo("chosen-password");
        assertThat(secrets.adminPasswordGenerated()).isFalse();
        assertThat(secrets.tokenKey()).isEqualTo("chosen-key");
        assertThat(dataDir.resolve(StackSecrets.FILE)).doesNotExist();
    }

    @Test
    void differentDataDirectoriesGetDifferentSecrets(@TempDir Path other) {
        assertThat(StackSecrets.load(dataDir, Map.of()).adminPassword())
                .isNotEqualTo(StackSecrets.load(other, Map.of()).adminPassword());
    }
}
