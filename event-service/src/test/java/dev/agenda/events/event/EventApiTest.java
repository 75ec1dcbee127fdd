package dev.agenda.events.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.jayway.jsonpath.JsonPath;

import dev.agenda.events.support.InfrastructureTest;

/** The events API end to end on the real MongoDB launcher: revisions, slugs, filters, idempotency. */
class EventApiTest extends InfrastructureTest {

    @Autowired
    private MongoTemplate mongo;
    @Autowired
    private EventStore store;

    private MockHttpServletRequestBuilder admin(MockHttpServletRequestBuilder request) {
        return request.header(HttpHeaders.AUTHORIZATION, ADMIN);
    }

    private String json(String title, String extra) {
        return "{\"title\": \"" + title + "\"" + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    private MvcResult create(String body, String query) throws Exception {
        return mvc.perform(admin(post("/api/events" + query)).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andReturn();
    }

    private static String id(MvcResult result) throws Exception {
        return JsonPath.read(result.getResponse().getContentAsString(), "$.id");
    }

    @Test
    void slugIsFoldedFromTheTitleUniqueAndFrozenOncePublished() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String title = "Café « Transfo » n°3 : l’État, demain ! " + marker;
        MvcResult first = create(json(title, ""), "");
        String slug = JsonPath.read(first.getResponse().getContentAsString(), "$.slug");
        assertThat(slug).isEqualTo("cafe-transfo-n-3-l-etat-demain-" + marker);
        MvcResult second = create(json(title, ""), "");
        assertThat((String) JsonPath.read(second.getResponse().getContentAsString(), "$.slug")).isEqualTo(slug + "-2");

        mvc.perform(admin(post("/api/events")).contentType(MediaType.APPLICATION_JSON)
                .content(json("Autre", "\"slug\": \"" + slug + "\""))).andExpect(status().isConflict());
        mvc.perform(admin(post("/api/events")).contentType(MediaType.APPLICATION_JSON)
                .content(json("Autre", "\"slug\": \"../../etc/passwd\""))).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("slug"));

        String id = id(first);
        mvc.perform(admin(put("/api/events/" + id)).header("If-Match", "\"1\"")
                .contentType(MediaType.APPLICATION_JSON).content(json(title, "\"slug\": \"mon-cafe-" + marker + "\"")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.slug").value("mon-cafe-" + marker))
                .andExpect(header().string(HttpHeaders.ETAG, "\"2\""));
        mvc.perform(admin(put("/api/events/" + id)).header("If-Match", "\"1\"")
                .contentType(MediaType.APPLICATION_JSON).content(json(title, ""))).andExpect(status().isPreconditionFailed());
        mvc.perform(admin(post("/api/events/" + id + "/publish"))).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("startsAt"));
        mvc.perform(admin(put("/api/events/" + id)).header("If-Match", "\"2\"")
                .contentType(MediaType.APPLICATION_JSON)
                .content(json(title, "\"startsAt\": \"2031-01-10T09:00:00+01:00\""))).andExpect(status().isOk());
        mvc.perform(admin(post("/api/events/" + id + "/publish"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("PUBLISHED")).andExpect(jsonPath("$.revision").value(4));
        mvc.perform(admin(put("/api/events/" + id)).header("If-Match", "\"4\"")
                .contentType(MediaType.APPLICATION_JSON).content(json(title, "\"slug\": \"encore-" + marker
                        + "\", \"startsAt\": \"2031-01-10T09:00:00+01:00\""))).andExpect(status().isConflict());
        mvc.perform(admin(delete("/api/events/" + id))).andExpect(status().isNoContent());
        mvc.perform(admin(get("/api/events/" + id))).andExpect(status().isNotFound());
    }

    @Test
    void listFiltersByStatusCategoryTagWindowAndTextSortedByStart() throws Exception {
        String tag = "tag-" + UUID.randomUUID();
        create(json("Atelier Accessibilité", "\"tags\": [\"" + tag + "\"], \"categories\": [\"Formation\"],"
                + "\"startsAt\": \"2032-03-02T10:00:00+01:00\""), "?publish=true");
        create(json("Meetup design", "\"tags\": [\"" + tag + "\"], \"primaryCategory\": \"Meetup\","
                + "\"lead\": \"On parle d'ACCESSIBILITÉ\", \"startsAt\": \"2032-03-01T10:00:00+01:00\""), "");
        create(json("Hackathon", "\"tags\": [\"" + tag + "\"], \"startsAt\": \"2032-06-01T10:00:00+02:00\","
                + "\"endsAt\": \"2032-06-03T18:00:00+02:00\""), "?publish=true");

        mvc.perform(admin(get("/api/events")).param("tag", tag))
                .andExpect(jsonPath("$.items[*].title", contains("Meetup design", "Atelier Accessibilité",
                        "Hackathon")));
        mvc.perform(admin(get("/api/events")).param("tag", tag).param("status", "PUBLISHED"))
                .andExpect(jsonPath("$.items", hasSize(2)));
        mvc.perform(admin(get("/api/events")).param("tag", tag).param("category", "Meetup"))
                .andExpect(jsonPath("$.items[*].title", contains("Meetup design")));
        mvc.perform(admin(get("/api/events")).param("tag", tag).param("q", "accessibilité"))
                .andExpect(jsonPath("$.items[*].title", contains("Meetup design", "Atelier Accessibilité")));
        // Typed without its accents, or with others, a word still finds its events.
        mvc.perform(admin(get("/api/events")).param("tag", tag).param("q", "ACCESSIBILITE"))
                .andExpect(jsonPath("$.items[*].title", contains("Meetup design", "Atelier Accessibilité")));
        mvc.perform(admin(get("/api/events")).param("tag", tag).param("q", "Hâckàthon"))
                .andExpect(jsonPath("$.items[*].title", contains("Hackathon")));
        mvc.perform(admin(get("/api/events")).param("tag", tag).param("q", "a.*"))
                .andExpect(jsonPath("$.items", hasSize(0)));
        mvc.perform(admin(get("/api/events")).param("tag", tag).param("from", "2032-06-02"))
                .andExpect(jsonPath("$.items[*].title", contains("Hackathon")));
        mvc.perform(admin(get("/api/events")).param("tag", tag).param("to", "2032-03-01T23:00:00+01:00"))
                .andExpect(jsonPath("$.items[*].title", contains("Meetup design")));
        // A date alone includes its whole day: the events of March 1st, not only those at midnight.
        mvc.perform(admin(get("/api/events")).param("tag", tag).param("from", "2032-03-01").param("to", "2032-03-01"))
                .andExpect(jsonPath("$.items[*].title", contains("Meetup design")));
        mvc.perform(admin(get("/api/events")).param("tag", tag).param("to", "2032-03-02"))
                .andExpect(jsonPath("$.items[*].title", contains("Meetup design", "Atelier Accessibilité")));
        mvc.perform(admin(get("/api/events")).param("tag", tag).param("size", "2").param("page", "1"))
                .andExpect(jsonPath("$.items[*].title", contains("Hackathon")))
                .andExpect(jsonPath("$.totalItems").value(3)).andExpect(jsonPath("$.totalPages").value(2));
    }

    @Test
    void anEventReadAndSentBackUnchangedKeepsTheIndentedCodeBlockOpeningItsBody() throws Exception {
        String body = "    $ curl https://example.org\n    $ echo ok\n\nFin.";
        MvcResult created = create(json("Indentation " + UUID.randomUUID(), "\"body\": \"" + body.replace("\n", "\\n")
                + "\", \"startsAt\": \"2032-02-01T10:00:00+01:00\""), "");
        String id = id(created);
        String read = mvc.perform(admin(get("/api/events/" + id))).andExpect(jsonPath("$.body").value(body))
                .andReturn().getResponse().getContentAsString();

        mvc.perform(admin(put("/api/events/" + id)).header("If-Match", "\"1\"")
                .contentType(MediaType.APPLICATION_JSON).content(read))
                .andExpect(status().isOk()).andExpect(jsonPath("$.revision").value(1))
                .andExpect(jsonPath("$.body").value(body));
    }

    @Test
    void aWindowStartingDuringTheLastDayOfAWholeDayEventFindsIt() throws Exception {
        String tag = "tag-" + UUID.randomUUID();
        // Midnight to midnight of its last day, that day included (the corpus' convention): on until July 4th.
        create(json("Salon", "\"tags\": [\"" + tag + "\"], \"startsAt\": \"2032-07-01T00:00:00+02:00\","
                + "\"endsAt\": \"2032-07-03T00:00:00+02:00\""), "");
        create(json("Meetup", "\"tags\": [\"" + tag + "\"], \"startsAt\": \"2032-07-03T18:30:00+02:00\""), "");
        create(json("Atelier", "\"tags\": [\"" + tag + "\"], \"startsAt\": \"2032-07-03T09:00:00+02:00\","
                + "\"endsAt\": \"2032-07-03T12:00:00+02:00\""), "");

        mvc.perform(admin(get("/api/events")).param("tag", tag).param("from", "2032-07-03T15:00:00+02:00"))
                .andExpect(jsonPath("$.items[*].title", contains("Salon", "Meetup")));
        mvc.perform(admin(get("/api/events")).param("tag", tag).param("from", "2032-07-04"))
                .andExpect(jsonPath("$.items", hasSize(0)));
    }

    @Test
    void eventsStoredBeforeTheirEndOfEventWasKeptAreFoundByWindowOnceTheServiceStarts() throws Exception {
        String tag = "tag-" + UUID.randomUUID();
        String id = id(create(json("Salon", "\"tags\": [\"" + tag + "\"], \"startsAt\": \"2032-08-01T00:00:00+02:00\","
                + "\"endsAt\": \"2032-08-02T00:00:00+02:00\""), ""));
        // As an earlier version stored it.
        mongo.updateFirst(Query.query(
                Criteria.where("_id").is(id)),
                new Update().unset(EventDocument.OVER_AT),
                EventDocument.class);
        mvc.perform(admin(get("/api/events")).param("tag", tag).param("from", "2032-08-02T10:00:00+02:00"))
                .andExpect(jsonPath("$.items", hasSize(0)));

        assertThat(store.addMissingOverAt()).isPositive();

        mvc.perform(admin(get("/api/events")).param("tag", tag).param("from", "2032-08-02T10:00:00+02:00"))
                .andExpect(jsonPath("$.items[*].title", contains("Salon")));
        assertThat(store.addMissingOverAt()).isZero();
    }

    /** The site groups « Café de la transfo » and « cafe de la TRANSFO » on one page: the filter does too. */
    @Test
    void categoryAndTagFiltersMatchLabelsByTheSitesKey() throws Exception {
        String m = UUID.randomUUID().toString().substring(0, 8);
        create(json("Un", "\"categories\": [\"Café de la transfo " + m + "\"], \"tags\": [\"Accessibilité " + m + "\"],"
                + "\"startsAt\": \"2033-01-01T10:00:00+01:00\""), "");
        create(json("Deux", "\"primaryCategory\": \"cafe de la TRANSFO " + m + "\", \"tags\": [\"accessibilite-" + m
                + "\"], \"startsAt\": \"2033-01-02T10:00:00+01:00\""), "");
        create(json("Trois", "\"categories\": [\"Café de la transfo " + m + " bis\"], \"tags\": [\"Accès " + m + "\"],"
                + "\"startsAt\": \"2033-01-03T10:00:00+01:00\""), "");

        // Exact labels only, before: each of these found one event or none.
        for (String category : List.of("Café de la transfo " + m, "CAFE DE LA TRANSFO " + m, "cafe-de-la-transfo-" + m)) {
            mvc.perform(admin(get("/api/events")).param("category", category))
                    .andExpect(jsonPath("$.items[*].title", contains("Un", "Deux")));
        }
        for (String tag : List.of("Accessibilité " + m, "ACCESSIBILITE_" + m, "accessibilite-" + m)) {
            mvc.perform(admin(get("/api/events")).param("tag", tag))
                    .andExpect(jsonPath("$.items[*].title", contains("Un", "Deux")));
        }
        // A key, not a prefix nor a word: « bis » is another category, « Accès » another tag.
        mvc.perform(admin(get("/api/events")).param("category", "transfo " + m))
                .andExpect(jsonPath("$.items", hasSize(0)));
        mvc.perform(admin(get("/api/events")).param("category", "cafe-de-la-transfo-" + m + "-bis"))
                .andExpect(jsonPath("$.items[*].title", contains("Trois")));
    }

    /**
     * A NUL in the search text was a 500 (MongoDB cannot hold it in a regular expression), and one in an event's
     * text was stored and published, then refused by the site's Atom writer.
     */
    @Test
    void controlCharactersAreFieldErrorsInTextsAndInTheSearch() throws Exception {
        mvc.perform(admin(get("/api/events")).param("q", "caf\u0000"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("q"));
        mvc.perform(admin(post("/api/events")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"title\": \"Atelier\", \"venue\": \"V\\u0000enue\", \"tags\": [\"I\\u000bA\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", contains("tags[0]", "venue")));
    }

    /** A title in another script is valid; the 400 used to blame it ("must contain a letter") instead of the slug. */
    @Test
    void aTitleWithoutLatinLettersNeedsAGivenSlugAndTheErrorSaysSo() throws Exception {
        mvc.perform(admin(post("/api/events")).contentType(MediaType.APPLICATION_JSON).content(json("日本語のイベント", "")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("slug"));
        String slug = "evenement-" + UUID.randomUUID().toString().substring(0, 8);
        mvc.perform(admin(post("/api/events")).contentType(MediaType.APPLICATION_JSON)
                .content(json("日本語のイベント", "\"slug\": \"" + slug + "\""))).andExpect(status().isCreated())
                .andExpect(jsonPath("$.title").value("日本語のイベント")).andExpect(jsonPath("$.slug").value(slug));
    }

    @Test
    void theSameIdempotencyKeyReturnsTheFirstResponseAndNeverCreatesTwice() throws Exception {
        String key = UUID.randomUUID().toString();
        String tag = "idem-" + key;
        String body = json("Une seule fois", "\"tags\": [\"" + tag + "\"]");
        MvcResult first = mvc.perform(admin(post("/api/events")).header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isCreated()).andReturn();
        MvcResult again = mvc.perform(admin(post("/api/events")).header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isCreated())
                .andExpect(header().string("Idempotent-Replayed", "true")).andReturn();
        assertThat(again.getResponse().getHeader(HttpHeaders.LOCATION))
                .isEqualTo(first.getResponse().getHeader(HttpHeaders.LOCATION));
        assertThat(id(again)).isEqualTo(id(first));
        mvc.perform(admin(get("/api/events")).param("tag", tag)).andExpect(jsonPath("$.totalItems").value(1));

        mvc.perform(admin(post("/api/events")).header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).content(json("Autre chose", "")))
                .andExpect(status().isUnprocessableContent());
    }

    @Test
    void aCancelledEventStaysVisibleAndADraftCannotBeCancelled() throws Exception {
        String draft = id(create(json("Brouillon", ""), ""));
        mvc.perform(admin(post("/api/events/" + draft + "/cancel"))).andExpect(status().isConflict());
        String published = id(create(json("Annulé", "\"startsAt\": \"2031-01-10T09:00:00+01:00\""), "?publish=true"));
        mvc.perform(admin(post("/api/events/" + published + "/cancel"))).andExpect(status().isOk());
        mvc.perform(admin(get("/api/events/" + published))).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("CANCELLED"))
                .andExpect(jsonPath("$.firstPublishedAt").isNotEmpty());
    }
}
