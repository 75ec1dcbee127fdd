package dev.agenda.infra.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

/** House-style rules every service's ArchitectureTest checks on its own classes. */
public final class EntryPointRules {

    private EntryPointRules() {
    }

    /**
     * Controllers and Kafka listeners are entry points wired by Spring, not API for other packages: not public.
     * Annotations are named, not imported, so that this module needs neither Spring MVC nor spring-kafka.
     */
    public static ArchRule controllersAndKafkaListenersAreNotPublic() {
        return classes().that().areAnnotatedWith("org.springframework.web.bind.annotation.RestController")
                .or().areAnnotatedWith("org.springframework.stereotype.Controller")
                .or(new DescribedPredicate<JavaClass>("declare a @KafkaListener method") {
                    @Override
                    public boolean test(JavaClass type) {
                        return type.getMethods().stream().anyMatch(
                                m -> m.isAnnotatedWith("org.springframework.kafka.annotation.KafkaListener"));
                    }
                })
                .should().notBePublic();
    }
}
