package dev.agenda.support.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import com.mongodb.MongoTimeoutException;

/**
 * With MongoDB down, a request used to wait for the driver and end in a 500 "unexpected error" (or Boot's error
 * page): nothing told the client it could simply try again.
 */
class DatabaseUnavailableAnswerTest {

    @RestController
    static class Events {
        @GetMapping("/api/events")
        String list() {
            throw new DataAccessResourceFailureException("Timed out after 30000 ms while waiting for a server",
                    new MongoTimeoutException("Timed out after 30000 ms while waiting for a server"));
        }

        @GetMapping("/api/events/raw")
        String raw() {
            throw new MongoTimeoutException("Timed out after 30000 ms while waiting for a server");
        }

        @GetMapping("/api/events/wrapped")
        String wrapped() {
            // An outage met inside other code (a renderer, a listener's helper) arrives wrapped.
            throw new IllegalStateException("could not load the page",
                    new MongoTimeoutException("Timed out after 30000 ms while waiting for a server"));
        }

        @GetMapping("/api/events/bug")
        String bug() {
            throw new IllegalStateException("a bug");
        }
    }

    @RestControllerAdvice
    static class Handler extends FieldProblemExceptionHandler {
    }

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Events()).setControllerAdvice(new Handler())
            .build();

    @Test
    void anUnreachableDatabaseIsA503TheClientMayRetryAndSaysNothingOfTheCause() throws Exception {
        for (String path : new String[] {"/api/events", "/api/events/raw", "/api/events/wrapped"}) {
            mvc.perform(get(path).accept(MediaType.APPLICATION_JSON))
                    .andExpect(status().isServiceUnavailable())
                    .andExpect(header().string("Retry-After", "30"))
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.status").value(503))
                    .andExpect(jsonPath("$.instance").value(path))
                    .andExpect(jsonPath("$.detail").value(
                            "The service is temporarily unavailable; try again in a moment."));
        }
        // A browser on one of the notification-service's pages gets the same status and header.
        mvc.perform(get("/api/events").accept(MediaType.TEXT_HTML))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "30"));
        mvc.perform(get("/api/events/bug")).andExpect(status().isInternalServerError())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("An unexpected error occurred."));
    }
}
