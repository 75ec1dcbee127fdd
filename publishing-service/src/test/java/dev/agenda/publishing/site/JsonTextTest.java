package dev.agenda.publishing.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class JsonTextTest {

    @Test
    void writesKeysInTheMapsOrderAndEveryKindOfValue() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("z", "last letter first");
        value.put("a", List.of(1, 2L, true, false));
        value.put("none", null);
        value.put("nested", Map.of("k", Arrays.asList("v", null)));

        assertThat(JsonText.of(value)).isEqualTo(
                "{\"z\":\"last letter first\",\"a\":[1,2,true,false],\"none\":null,\"nested\":{\"k\":[\"v\",null]}}");
    }

    @Test
    void escapesWhatJsonRequiresAndReadsBackToTheSameText() {
        String hostile = "\"quoted\" \\ back\nline\ttab \u0001 </script> Évènement « à » 🎉";
        String json = JsonText.of(Map.of("title", hostile));

        assertThat(json).doesNotContain("\n").doesNotContain("\u0001");
        assertThat(JsonMapper.builder().build().readTree(json).get("title").asString()).isEqualTo(hostile);
    }

    @Test
    void refusesValuesItHasNoJsonFormFor() {
        assertThatThrownBy(() -> JsonText.of(Map.of("when", java.time.Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.time.Instant");
    }
}
