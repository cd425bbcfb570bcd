/**
 * JMH benchmarks of the Java implementation. Run: {@code mvn -pl db20-bench -am package -DskipTests
 * && java -jar db20-bench/target/benchmarks.jar}. Numbers and how they were taken: {@code
 * docs/benchmarks.md}.
 */
package dev.db20.bench;
