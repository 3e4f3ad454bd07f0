# Runs the jar built by `mvn package` (target/iz-fhir-server-*.jar) on a JRE, as a non-root user.
FROM eclipse-temurin:17-jre-jammy

RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /app --shell /usr/sbin/nologin izfhir

WORKDIR /app
COPY target/iz-fhir-server-*.jar /app/iz-fhir-server.jar
COPY fhir-config /app/fhir-config
USER izfhir

ENV SPRING_PROFILES_ACTIVE=postgres \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080 8081
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=4 \
  CMD curl -fsS http://localhost:8081/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-jar", "/app/iz-fhir-server.jar"]
