package dev.voicebridge.worker.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.ice4j.ice.AgentConfig;
import org.ice4j.ice.harvest.HarvestConfig;
import org.junit.jupiter.api.Test;

class Ice4jSettingsTest {
    @Test
    void ice4jRunsOnOurTimingAndNeverProbesTheNetwork() {
        var config = new IceConfig(
                Duration.ofMillis(20), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(30));
        Ice4jSettings.install(config);

        AgentConfig agent = AgentConfig.config;
        assertThat(agent.getConsentFreshnessInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(agent.getRandomizeConsentFreshnessInterval()).isTrue();
        // One consent transaction keeps retrying until consent may be declared lost.
        assertThat(agent.getConsentFreshnessMaxWaitInterval().toMillis()
                        * agent.getMaxConsentFreshnessRetransmissions())
                .isGreaterThanOrEqualTo(30_000);
        assertThat(agent.getUseComponentSocket()).isFalse();
        assertThat(agent.getSoftware()).isEmpty();

        HarvestConfig harvest = HarvestConfig.config;
        assertThat(harvest.enableAwsHarvester()).isFalse();
        assertThat(harvest.stunMappingCandidateHarvesterAddresses()).isEmpty();
        assertThat(harvest.getStaticMappings()).isEmpty();

        // Per process, first one wins: a different later config cannot half apply.
        Ice4jSettings.install(new IceConfig(
                Duration.ofMillis(20), Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(3)));
        assertThat(agent.getConsentFreshnessInterval()).isEqualTo(Duration.ofSeconds(5));
    }
}
