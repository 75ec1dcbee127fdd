package dev.agenda.publishing.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlugsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "atelier-2024", "journee-d-echanges", "x-1-y-2"})
    void acceptsLowercaseWordsJoinedBySingleDashes(String slug) {
        assertThat(Slugs.isValid(slug)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "a-", "a--b", "A", "é", "a/b", "..", "../etc", "a b", "a_b", "a.html",
            "a\nb", "a%2fb"})
    void refusesAnythingThatCouldLeaveItsDirectoryOrIsNotCanonical(String slug) {
        assertThat(Slugs.isValid(slug)).isFalse();
    }

    @Test
    void refusesNullAndOverlongSlugs() {
        assertThat(Slugs.isValid(null)).isFalse();
        assertThat(Slugs.isValid("a".repeat(Slugs.MAX_LENGTH))).isTrue();
        assertThat(Slugs.isValid("a".repeat(Slugs.MAX_LENGTH + 1))).isFalse();
    }

    @Test
    void agreesWithTheGrammarOnRandomStrings() {
        Pattern grammar = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
        String alphabet = "ab09-_/.Zé \\";
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder slug = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--) {
                slug.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(Slugs.isValid(slug.toString())).as(slug.toString())
                    .isEqualTo(grammar.matcher(slug).matches());
        }
    }
}
