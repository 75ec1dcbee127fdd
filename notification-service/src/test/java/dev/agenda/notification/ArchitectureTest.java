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

    @Test
    void theDomainModelKnowsNoFramework() {
        classes().that().haveSimpleNameEndingWith("Snapshot")
                .or().haveSimpleName("AnnouncementPolicy").or().haveSimpleName("NoticeKind")
                .or().haveSimpleName("EventState").or().haveSimpleName("Subscriber")
                .or().haveSimpleName("Preferences").or().haveSimpleName("SubscriberStatus")
                .or().haveSimpleName("EmailAddresses").or().haveSimpleName("LinkTokens")
                .or().haveSimpleName("Delivery").or().haveSimpleName("DeliveryOrder")
                .or().haveSimpleName("DeliveryStatus").or().haveSimpleName("Announcement")
                .or().haveSimpleName("OutgoingMail")
                .should().onlyDependOnClassesThat().resideOutsideOfPackages("org.springframework..",
                        "org.apache.kafka..", "dev.agenda.schemas..", "org.apache.avro..", "org.bson..",
                        "com.mongodb..", "jakarta.mail..", "jakarta.servlet..")
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
}
