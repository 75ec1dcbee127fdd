package dev.agenda.publishing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.agenda.publishing");

    @Test
    void domainKnowsNoFrameworkNorMessaging() {
        noClasses().that().resideInAPackage("dev.agenda.publishing.event..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.kafka..",
                        "org.apache.avro..", "dev.agenda.schemas..", "org.bson..", "com.mongodb..")
                .check(classes);
    }

    @Test
    void onlyMessagingTouchesAvroAndKafka() {
        noClasses().that().resideOutsideOfPackage("dev.agenda.publishing.messaging..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.agenda.schemas..", "org.apache.kafka..",
                        "org.apache.avro..", "org.springframework.kafka..")
                .check(classes);
    }

    @Test
    void theSiteDoesNotDependOnMessagingOrPersistence() {
        noClasses().that().resideInAPackage("dev.agenda.publishing.site..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.agenda.publishing.messaging..",
                        "dev.agenda.publishing.readmodel..", "org.springframework.data..")
                .check(classes);
    }

    @Test
    void listenersAndControllersArePackagePrivate() {
        classes().that().areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
                .or().haveSimpleNameEndingWith("Listener")
                .should().notBePublic()
                .check(classes);
    }

    /** Controllers and Kafka listeners are entry points wired by Spring, not API for other packages. */
    @Test
    void controllersAndKafkaListenersAreNotPublic() {
        dev.agenda.infra.testing.EntryPointRules.controllersAndKafkaListenersAreNotPublic().check(classes);
    }
}
