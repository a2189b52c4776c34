package dev.affinity.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the Affinity Gateway. */
@SpringBootApplication
public class AffinityGatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(AffinityGatewayApplication.class, args);
    }
}
