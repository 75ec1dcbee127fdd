package dev.agenda.events.event;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;
import static org.mockito.ArgumentMatchers.any;

import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import dev.agenda.events.domain.Event;
import dev.agenda.events.domain.EventContent;
import dev.agenda.events.domain.EventRules;
import dev.agenda.events.domain.EventStatus;
import dev.agenda.events.domain.RequestRefusedException;
import dev.agenda.events.web.IdempotencyStore;
import dev.agenda.events.web.StrictJson;
import dev.agenda.support.security.AgendaSecurityAutoConfiguration;

/** The HTTP contract of the events API: statuses, headers and problem documents for every error class. */
@WebMvcTest(EventController.class)
@ImportAutoConfiguration(AgendaSecurityAutoConfiguration.class)
@Import(StrictJson.class)
@TestPropertySource(properties = {
        "agenda.security.users[0].username=admin", "agenda.security.users[0].password-hash={noop}admin-pw",
        "agenda.security.users[1].username=viewer", "agenda.security.users[1].password-hash={noop}viewer-pw",
        "agenda.security.users[1].roles=VIEWER", "agenda.events.web.max-json-body=2KB"})
class EventApiWebTest {

    static final String ADMIN = basic("admin", "admin-pw");
    static final String PROBLEM = "application/problem+json";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    EventService events;

    @MockitoBean
    IdempotencyStore idempotency;

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static Event sample(long revision) {
        Instant t = Instant.parse("2030-05-25T12:00:00Z");
        EventContent c = new EventContent("Forum", null, null, null, null, null, null, t, null, null, null, null,
                false, null, null, null);
        return new Event("e1", "forum", EventStatus.DRAFT, revision, c, t, t, null);
    }

    @Test
    void createAnswers201WithLocationAndETag() throws Exception {
        given(events.create(any(), isNull(), eq(EventStatus.DRAFT))).willReturn(sample(1));
        mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Forum\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string(HttpHeaders.LOCATION, "http://localhost/api/events/e1"))
                .andExpect(header().string(HttpHeaders.ETAG, "\"1\""))
                .andExpect(jsonPath("$.startsAt").value("2030-05-25T14:00:00+02:00"))
                .andExpect(jsonPath("$.timeZone").value("Europe/Paris"));
    }

    @Test
    void invalidContentIsA400WithOneEntryPerInvalidField() throws Exception {
        // The real rules, run by a mock that behaves like the service.
        given(events.create(any(), any(), any())).willAnswer(call -> {
            EventRules.require(call.getArgument(0), call.getArgument(2));
            return sample(1);
        });
        mvc.perform(post("/api/events?publish=true").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"title": " ", "images": [{"url": "javascript:alert(1)"}],
                         "infos": [{"label": "Lien", "link": "not a url"}], "timeZone": "Mars/Olympus"}
                        """))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors", hasSize(5)))
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("title", "images[0].url",
                        "startsAt", "timeZone", "infos[0].link")));
    }

    @Test
    void endBeforeStartIsA400OnEndsAt() throws Exception {
        given(events.create(any(), any(), any())).willAnswer(call -> {
            EventRules.require(call.getArgument(0), call.getArgument(2));
            return sample(1);
        });
        mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"title": "A", "startsAt": "2030-05-25T14:00:00+02:00", "endsAt": "2030-05-25T13:00:00+02:00"}
                        """))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("endsAt"));
    }

    @Test
    void malformedJsonAndWrongTypesAre400NotA500() throws Exception {
        mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": "))
                .andExpect(status().isBadRequest()).andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value("The request body is not valid JSON."));
        // JSON, but not an object: told so, not sent looking for a typo.
        for (String notAnObject : new String[] {"[]", "\"Atelier\"", "3"}) {
            mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                    .contentType(MediaType.APPLICATION_JSON).content(notAnObject))
                    .andExpect(status().isBadRequest()).andExpect(content().contentTypeCompatibleWith(PROBLEM))
                    .andExpect(jsonPath("$.detail").value("The request body must be a JSON object."));
        }
        mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"A\"} {}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("The request body must be one JSON object, with nothing after it."));
        mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON).content("null"))
                .andExpect(status().isBadRequest()).andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith(
                        "The request body must be a JSON object")));
        mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"A\", \"startsAt\": \"tomorrow\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("startsAt"));
        mvc.perform(get("/api/events?status=LOST&size=500").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("status"));
        mvc.perform(get("/api/events?from=demain&to=2030-01-01").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("from")));
        mvc.perform(get("/api/events?size=500&page=-1").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("page", "size")));
    }

    @Test
    void aNumberForADateTimeIsAFieldErrorNotEpochSeconds() throws Exception {
        given(events.create(any(), any(), any())).willReturn(sample(1));
        // Each of these used to be read as seconds since 1970 (1748174400 = 25 May 2025): a 201 with a date.
        for (String field : List.of("startsAt", "endsAt", "publicationDate")) {
            for (String value : List.of("1748174400", "1748174400.5", "\"1748174400\"", "true", "[2030, 5, 25]")) {
                mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"title\": \"A\", \"" + field + "\": " + value + "}"))
                        .andExpect(status().isBadRequest())
                        .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                        .andExpect(jsonPath("$.errors", hasSize(1)))
                        .andExpect(jsonPath("$.errors[0].field").value(field))
                        .andExpect(jsonPath("$.errors[0].message").value(StrictJson.DATE_TIME_EXPECTED));
            }
        }
        // The documented forms still are date-times.
        for (String value : List.of("2030-05-25T14:00:00+02:00", "2030-05-25T12:00:00Z", "2030-05-25T14:00:00.250+02:00")) {
            mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"title\": \"A\", \"startsAt\": \"" + value + "\"}"))
                    .andExpect(status().isCreated());
        }
    }

    @Test
    void aNullInsideAListIsA400NamingTheEntryNotA500() throws Exception {
        given(events.create(any(), any(), any())).willAnswer(call -> {
            EventRules.require(call.getArgument(0), call.getArgument(2));
            return sample(1);
        });
        for (String list : List.of("categories", "tags", "images", "access", "infos")) {
            mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                    .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"A\", \"" + list + "\": [null]}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                    .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder(list + "[0]")));
        }
        mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"title\": \"A\", \"access\": [{\"type\": \"Bus\", \"lines\": [\"21\", null]}]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("access[0].lines[1]")));
    }

    @Test
    void unknownFieldsAndNumbersForTextAreFieldErrorsNotDroppedOrConverted() throws Exception {
        given(events.create(any(), any(), any())).willReturn(sample(1));
        mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"title\": \"A\", \"startAt\": \"2030-05-25T14:00:00+02:00\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[0].field").value("startAt"))
                .andExpect(jsonPath("$.errors[0].message").value("is not a known field"));
        mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"title\": \"A\", \"location\": {\"name\": \"Paris\"}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("location"));
        mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": 123}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("title"));
        mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"A\", \"showMap\": \"yes\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("showMap"));
        // The last of two values used to win silently.
        mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"title\": \"A\", \"startsAt\": \"2030-05-25T14:00:00+02:00\", "
                        + "\"startsAt\": \"2030-06-25T14:00:00+02:00\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[0].field").value("startsAt"))
                .andExpect(jsonPath("$.errors[0].message").value("is given more than once"));
    }

    @Test
    void whatGetAnswersCanBeEditedAndPutBack() throws Exception {
        given(events.get("e1")).willReturn(sample(2));
        given(events.update(eq("e1"), eq(2L), any(), any())).willReturn(sample(3));
        String shown = mvc.perform(get("/api/events/e1").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        org.assertj.core.api.Assertions.assertThat(shown).contains("\"id\"", "\"revision\"", "\"status\"", "\"createdAt\"");

        mvc.perform(put("/api/events/e1").header(HttpHeaders.AUTHORIZATION, ADMIN).header("If-Match", "\"2\"")
                .contentType(MediaType.APPLICATION_JSON).content(shown.replace("\"Forum\"", "\"Forum 2030\"")))
                .andExpect(status().isOk());
    }

    @Test
    void withoutCredentialsIs401AndWithoutTheAdminRoleIs403() throws Exception {
        mvc.perform(get("/api/events/e1"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(header().exists(HttpHeaders.WWW_AUTHENTICATE));
        mvc.perform(get("/api/events/e1").header(HttpHeaders.AUTHORIZATION, basic("admin", "wrong")))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/events/e1").header(HttpHeaders.AUTHORIZATION, basic("viewer", "viewer-pw")))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }

    @Test
    void unknownEventIs404() throws Exception {
        given(events.get("nope")).willThrow(RequestRefusedException.notFound("Event nope"));
        mvc.perform(get("/api/events/nope").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.instance").value("/api/events/nope"));
        mvc.perform(get("/api/nothing-here").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }

    @Test
    void conflictsAre409() throws Exception {
        given(events.cancel("e1", null)).willThrow(RequestRefusedException.conflict("A draft cannot be cancelled"));
        mvc.perform(post("/api/events/e1/cancel").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }

    @Test
    void putWithoutIfMatchIs428AndWithAStaleETagIs412() throws Exception {
        mvc.perform(put("/api/events/e1").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"A\"}"))
                .andExpect(status().isPreconditionRequired())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        given(events.update(eq("e1"), eq(1L), any(), any()))
                .willThrow(RequestRefusedException.stale("The event is at revision 2"));
        mvc.perform(put("/api/events/e1").header(HttpHeaders.AUTHORIZATION, ADMIN).header("If-Match", "\"1\"")
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"A\"}"))
                .andExpect(status().isPreconditionFailed())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        given(events.update(eq("e1"), eq(2L), any(), any())).willReturn(sample(3));
        mvc.perform(put("/api/events/e1").header(HttpHeaders.AUTHORIZATION, ADMIN).header("If-Match", "\"2\"")
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"A\"}"))
                .andExpect(status().isOk()).andExpect(header().string(HttpHeaders.ETAG, "\"3\""));
    }

    /** RFC 9110 13.1.1: strong comparison (a weak tag never matches), a list matches if any member does. */
    @Test
    void ifMatchComparesStronglyAndAcceptsAList() throws Exception {
        given(events.get("e1")).willReturn(sample(2));
        given(events.update(eq("e1"), eq(2L), any(), any())).willReturn(sample(3));
        // A weak tag used to be read as the revision: W/"2" updated revision 2.
        for (String weak : List.of("W/\"2\"", "W/\"1\", W/\"2\"", "2", "\"two\"")) {
            mvc.perform(put("/api/events/e1").header(HttpHeaders.AUTHORIZATION, ADMIN).header("If-Match", weak)
                    .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"A\"}"))
                    .andExpect(status().isPreconditionFailed())
                    .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        }
        // A list used to be a 412 even when it named the current revision.
        for (String list : List.of("\"1\", \"2\"", "\"2\",\"3\"", "W/\"1\", \"2\"", "\"5\", \"2\", \"9\"", "*")) {
            mvc.perform(put("/api/events/e1").header(HttpHeaders.AUTHORIZATION, ADMIN).header("If-Match", list)
                    .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"A\"}"))
                    .andExpect(status().isOk()).andExpect(header().string(HttpHeaders.ETAG, "\"3\""));
        }
        mvc.perform(put("/api/events/e1").header(HttpHeaders.AUTHORIZATION, ADMIN).header("If-Match", "\"4\", \"5\"")
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"A\"}"))
                .andExpect(status().isPreconditionFailed())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        // A blank If-Match used to be no precondition at all: the PUT overwrote whatever revision was current.
        mvc.perform(put("/api/events/e1").header(HttpHeaders.AUTHORIZATION, ADMIN).header("If-Match", " ")
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"A\"}"))
                .andExpect(status().isPreconditionRequired());
        org.mockito.Mockito.verify(events, org.mockito.Mockito.times(5)).update(eq("e1"), eq(2L), any(), any());
        org.mockito.Mockito.verify(events, org.mockito.Mockito.never()).update(eq("e1"), eq(1L), any(), any());

        // The same reading on the optional If-Match of publish, cancel and delete.
        given(events.publish("e1", 2L)).willReturn(sample(3));
        mvc.perform(post("/api/events/e1/publish").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .header("If-Match", "\"1\", \"2\"")).andExpect(status().isOk());
        mvc.perform(post("/api/events/e1/cancel").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .header("If-Match", "W/\"2\"")).andExpect(status().isPreconditionFailed());
        mvc.perform(delete("/api/events/e1").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .header("If-Match", "\"7\", \"8\"")).andExpect(status().isPreconditionFailed());
        org.mockito.Mockito.verify(events, org.mockito.Mockito.never()).cancel(any(), any());
        org.mockito.Mockito.verify(events, org.mockito.Mockito.never()).delete(any(), any());
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        String big = "{\"title\": \"" + "x".repeat(4_000) + "\"}";
        mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON).content(big))
                .andExpect(status().isContentTooLarge())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                // Written by a filter, not by MVC: still the RFC 9457 members, no nulls, no bean leftovers.
                .andExpect(jsonPath("$.type").value("about:blank"))
                .andExpect(jsonPath("$.status").value(413))
                .andExpect(jsonPath("$.title").value("Content Too Large"))
                .andExpect(jsonPath("$.instance").value("/api/events"))
                .andExpect(jsonPath("$.properties").doesNotExist());
    }

    @Test
    void wrongMediaTypeIs415() throws Exception {
        mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.TEXT_PLAIN).content("title=A"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }

    @Test
    void deleteIs204AndPublishReturnsTheNewETag() throws Exception {
        mvc.perform(delete("/api/events/e1").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isNoContent());
        given(events.publish("e1", 4L)).willReturn(sample(5));
        mvc.perform(post("/api/events/e1/publish").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .header("If-Match", "\"4\""))
                .andExpect(status().isOk()).andExpect(header().string(HttpHeaders.ETAG, "\"5\""));
    }

    @Test
    void listIsPaged() throws Exception {
        given(events.search(any())).willReturn(new EventStore.Page(List.of(sample(1)), 41));
        mvc.perform(get("/api/events?size=20&page=2").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items", hasSize(1)))
                .andExpect(jsonPath("$.totalItems").value(41))
                .andExpect(jsonPath("$.totalPages").value(3));
    }

}
