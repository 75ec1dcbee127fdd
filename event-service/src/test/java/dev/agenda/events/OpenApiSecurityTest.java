package dev.agenda.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

import com.jayway.jsonpath.JsonPath;

import dev.agenda.events.support.InfrastructureTest;

/** Every {@code /api/**} operation the OpenAPI document lists refuses anonymous callers with 401. */
class OpenApiSecurityTest extends InfrastructureTest {

    @Test
    void everyApiRouteOfTheOpenApiDocumentNeedsCredentials() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isUnauthorized());
        String doc = mvc.perform(get("/v3/api-docs").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        Map<String, Map<String, Object>> paths = JsonPath.read(doc, "$.paths");
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            String uri = path.getKey().replaceAll("\\{[^}]+}", "00000000-0000-0000-0000-000000000000");
            for (String method : path.getValue().keySet()) {
                mvc.perform(request(HttpMethod.valueOf(method.toUpperCase()), uri))
                        .andExpect(status().isUnauthorized());
                checked.add(method.toUpperCase() + " " + path.getKey());
            }
        }
        assertThat(checked).contains("POST /api/events", "GET /api/events", "GET /api/events/{id}",
                "PUT /api/events/{id}", "DELETE /api/events/{id}", "POST /api/events/{id}/publish",
                "POST /api/events/{id}/cancel", "POST /api/imports/jekyll", "GET /api/events/{id}/jekyll",
                "GET /api/exports/jekyll");
    }

    @Test
    void swaggerUiIsServedToAdmins() throws Exception {
        mvc.perform(get("/swagger-ui/index.html")).andExpect(status().isUnauthorized());
        mvc.perform(get("/swagger-ui/index.html").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isOk());
    }

    @Test
    void healthIsPublicAndTheOutboxGaugeIsExposed() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
        mvc.perform(get("/actuator/metrics/agenda.outbox.oldest.unsent.age").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isOk());
    }
}
