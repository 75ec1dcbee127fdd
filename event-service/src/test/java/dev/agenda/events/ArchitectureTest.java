package dev.agenda.events;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The boundaries the house style promises, checked on the compiled classes. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.agenda.events");
    }

    @Test
    void theDomainIsPlainJava() {
        noClasses().that().resideInAPackage("..events.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.kafka..",
                        "org.apache.avro..", "dev.agenda.schemas..", "org.bson..", "com.mongodb..", "jakarta..",
                        "tools.jackson..", "com.fasterxml..")
                .check(classes);
    }

    @Test
    void theDomainDependsOnNothingElseOfTheService() {
        classes().that().resideInAPackage("..events.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("..events.domain..", "java..")
                .check(classes);
    }

    @Test
    void theJekyllFormatIsPureJavaPlusSnakeYaml() {
        noClasses().that().haveNameMatching("dev\\.agenda\\.events\\.jekyll\\.JekyllFormat.*")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.kafka..",
                        "org.apache.avro..", "dev.agenda.schemas..", "jakarta..")
                .check(classes);
    }

    @Test
    void avroAndKafkaStayInMessaging() {
        noClasses().that().resideOutsideOfPackage("..events.messaging..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.avro..", "dev.agenda.schemas..",
                        "org.apache.kafka..", "org.springframework.kafka..")
                .check(classes);
    }

    @Test
    void webAdviceAndFiltersDoNotReachIntoFeatures() {
        noClasses().that().resideInAPackage("..events.web..")
                .should().dependOnClassesThat().resideInAnyPackage("..events.event..", "..events.jekyll..",
                        "..events.messaging..")
                .check(classes);
    }

    /** Controllers and Kafka listeners are entry points wired by Spring, not API for other packages. */
    @Test
    void controllersAndKafkaListenersAreNotPublic() {
        dev.agenda.infra.testing.EntryPointRules.controllersAndKafkaListenersAreNotPublic().check(classes);
    }
}
