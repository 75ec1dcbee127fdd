package dev.agenda.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class CompatibilityGuardTest {

    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    @Test
    void currentSchemasAreFullTransitiveCompatibleWithTheirReleasedHistory() throws Exception {
        assertThat(CompatibilityGuard.check(Path.of("src/main/avro"), Path.of("schema-history"))).isEmpty();
    }

    @Test
    void rejectsASchemaThatChangesAFieldTypeAndAddsARequiredField() throws Exception {
        List<String> problems = CompatibilityGuard.check(FIXTURES.resolve("incompatible-current"),
                FIXTURES.resolve("incompatible-history"));

        assertThat(problems).singleElement().asString()
                .contains("EventPublished is not FULL_TRANSITIVE compatible with v1.avsc");
    }

    @Test
    void theBuildEntryPointFailsOnAnIncompatibleSchema() {
        assertThatThrownBy(() -> CompatibilityGuard.main(new String[] {
                FIXTURES.resolve("incompatible-current").toString(),
                FIXTURES.resolve("incompatible-history").toString()}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Schema evolution guard failed");
    }

    @Test
    void acceptsAnOptionalFieldWithADefault() throws Exception {
        assertThat(CompatibilityGuard.check(FIXTURES.resolve("compatible-current"),
                FIXTURES.resolve("compatible-history"))).isEmpty();
    }

    @Test
    void aSchemaWithoutReleasedHistoryIsReported() throws Exception {
        List<String> problems = CompatibilityGuard.check(FIXTURES.resolve("compatible-current"),
                FIXTURES.resolve("no-such-history"));

        assertThat(problems).singleElement().asString().contains("no released history");
    }
}
