package dev.agenda.notification;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The boundaries the house style asks for, checked on the compiled classes. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.agenda.notification");

    @Test
    void avroAndKafkaStayInTheMessagingPackage() {
        noClasses().that().resideOutsideOfPackage("dev.agenda.notification.messaging..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.agenda.schemas..", "org.apache.kafka..",
                        "org.springframework.kafka..", "org.apache.avro..")
                .check(CLASSES);
    }

    private static final String[] FRAMEWORKS = {"org.springframework..", "org.apache.kafka..", "dev.agenda.schemas..",
            "org.apache.avro..", "org.bson..", "com.mongodb..", "jakarta.mail..", "jakarta.servlet.."};

    /**
     * Every class of the feature packages that is not a Spring bean (stores, services, controllers are; records,
     * policies, value types are not), so a new domain class is covered without being listed.
     */
    @Test
    void theDomainModelKnowsNoFramework() {
        classes().that().resideInAnyPackage("dev.agenda.notification.event..", "dev.agenda.notification.subscription..",
                        "dev.agenda.notification.delivery..", "dev.agenda.notification.announcement..",
                        "dev.agenda.notification.unsubscribe..", "dev.agenda.notification.bounce..")
                .and().areTopLevelClasses()
                .and().areNotMetaAnnotatedWith(org.springframework.stereotype.Component.class)
                .should().onlyDependOnClassesThat().resideOutsideOfPackages(FRAMEWORKS)
                .check(CLASSES);
        classes().that().haveSimpleName("OutgoingMail")
                .should().onlyDependOnClassesThat().resideOutsideOfPackages(FRAMEWORKS)
                .check(CLASSES);
    }

    @Test
    void listenersOnlyTranslateAndDelegate() {
        noClasses().that().resideInAPackage("dev.agenda.notification.messaging..")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Store")
                .orShould().dependOnClassesThat().resideInAnyPackage("org.springframework.data..", "jakarta.mail..")
                .check(CLASSES);
    }

    @Test
    void webControllersAreNotPublic() {
        classes().that().areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
                .or().areAnnotatedWith(org.springframework.stereotype.Controller.class)
                .should().notBePublic()
                .check(CLASSES);
    }

    /** Controllers and Kafka listeners are entry points wired by Spring, not API for other packages. */
    @Test
    void controllersAndKafkaListenersAreNotPublic() {
        dev.agenda.infra.testing.EntryPointRules.controllersAndKafkaListenersAreNotPublic().check(CLASSES);
    }
}
