# Affinity Gateway container image, from the Spring Boot fat jar split into layers (dependencies
# change rarely, the application often: rebuilds push only the small top layers).
#   ./mvnw -B package -DskipTests && docker build -t affinity-gateway:0.1.0-SNAPSHOT .
FROM eclipse-temurin:17-jre AS layers
WORKDIR /build
COPY target/affinity-gateway-*.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --no-create-home --shell /usr/sbin/nologin gateway
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
USER 10001:10001
EXPOSE 8080 8081
# The chart mounts application.yml at /config and passes --spring.config.additional-location.
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
