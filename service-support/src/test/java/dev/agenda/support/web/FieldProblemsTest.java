package dev.agenda.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.ServletWebRequest;

import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

class FieldProblemsTest {

    record Request(List<String> categories) {
    }

    @Test
    void aJsonErrorNamesTheFieldAsTheClientWroteIt() {
        MismatchedInputException error = org.assertj.core.api.Assertions.catchThrowableOfType(
                MismatchedInputException.class,
                () -> JsonMapper.builder().build().readValue("{\"categories\": [\"a\", {}]}", Request.class));

        assertThat(FieldProblems.path(error)).isEqualTo("categories[1]");
    }

    @Test
    void aBadRequestListsEachFieldUnderErrorsWithTheRequestAsInstance() {
        ServletWebRequest request = new ServletWebRequest(new MockHttpServletRequest("POST", "/api/subscriptions"));

        var answer = FieldProblems.badRequest(List.of(new FieldProblems.FieldProblem("email", "is required"),
                new FieldProblems.FieldProblem("tags[0]", "must not be blank")), request);

        ProblemDetail problem = (ProblemDetail) answer.getBody();
        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(problem.getTitle()).isEqualTo("Invalid request");
        assertThat(problem.getDetail()).isEqualTo("2 fields are invalid.");
        assertThat(problem.getInstance()).hasToString("/api/subscriptions");
        assertThat(problem.getProperties().get("errors")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.LIST).containsExactly(
                new FieldProblems.FieldProblem("email", "is required"),
                new FieldProblems.FieldProblem("tags[0]", "must not be blank"));
    }
}
