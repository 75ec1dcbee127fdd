package dev.agenda.notification.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;

import dev.agenda.schemas.DeliveryRequested;
import dev.agenda.schemas.Topics;
import dev.agenda.schemas.serde.ConfluentAvroSerializer;

@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

    static final String BATCH_FACTORY = "deliveryBatchFactory";

    /**
     * Every topic this service reads or writes, with the shared specs: creating agenda.events if absent is harmless
     * (the event-service declares the same) and lets this service start first.
     */
    @Bean
    KafkaAdmin.NewTopics agendaTopics() {
        return new KafkaAdmin.NewTopics(Topics.all().stream().map(Topics.TopicSpec::toNewTopic).toArray(NewTopic[]::new));
    }

    @Bean
    KafkaTemplate<String, DeliveryRequested> deliveryTemplate(KafkaProperties kafka) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        ConfluentAvroSerializer<DeliveryRequested> values = new ConfluentAvroSerializer<>();
        values.configure(config, false);
        KafkaTemplate<String, DeliveryRequested> template = new KafkaTemplate<>(
                new DefaultKafkaProducerFactory<>(config, new StringSerializer(), values));
        // Each delivery order carries the trace of the publication that caused it (Boot only observes its own
        // template).
        template.setObservationEnabled(kafka.getTemplate().isObservationEnabled());
        return template;
    }

    /** Batch listener for deliveries: each poll's records are sent in parallel on the SMTP pool. */
    @Bean(BATCH_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> deliveryBatchFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer,
            ObjectProvider<ConsumerFactory<Object, Object>> consumerFactory,
            ObjectProvider<CommonErrorHandler> errorHandler) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumerFactory.getObject());
        factory.setBatchListener(true);
        // A batch cut short by the service's stop is given back, not retried nor dead-lettered (GivenBackBatchHandler).
        errorHandler.ifAvailable(shared -> factory.setCommonErrorHandler(new GivenBackBatchHandler(shared)));
        // spring-kafka observes record listeners only; its plain timer for this batch listener would register
        // spring.kafka.listener with other tags than the observed events listener, which Prometheus refuses. The
        // batch is timed by its own observation instead (agenda.deliveries.batch, see DeliveriesListener).
        factory.getContainerProperties().setMicrometerEnabled(false);
        return factory;
    }
}
