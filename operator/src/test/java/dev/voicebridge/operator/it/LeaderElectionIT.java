package dev.voicebridge.operator.it;

import static dev.voicebridge.operator.it.OperatorHarness.worker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.api.v1alpha1.AcceptBy;
import dev.voicebridge.api.v1alpha1.CallPhase;
import dev.voicebridge.operator.VoiceBridgeOperator;
import dev.voicebridge.operator.config.ConfigKey;
import dev.voicebridge.operator.config.OperatorConfig;
import dev.voicebridge.testkit.graph.GraphRequest;
import dev.voicebridge.testkit.kube.InMemoryKubeApi;
import dev.voicebridge.testkit.kube.KubeApiExtension;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two replicas on one Lease: only the leader acts; the other takes over when it goes. */
@ExtendWith(KubeApiExtension.class)
class LeaderElectionIT {
    InMemoryKubeApi kube;
    KubernetesClient client;
    OperatorHarness h;
    VoiceBridgeOperator one;
    VoiceBridgeOperator two;

    @AfterEach
    void stop() {
        for (var operator : new VoiceBridgeOperator[] {one, two}) {
            if (operator != null) {
                operator.close();
            }
        }
        h.close();
    }

    VoiceBridgeOperator replica(String identity) {
        Map<ConfigKey, String> config = OperatorHarness.fastConfig();
        config.put(ConfigKey.VOICEBRIDGE_LEADER_ELECTION, "true");
        config.put(ConfigKey.VOICEBRIDGE_IDENTITY, identity);
        config.put(ConfigKey.VOICEBRIDGE_LEASE_DURATION, "2s");
        config.put(ConfigKey.VOICEBRIDGE_LEASE_RENEW_DEADLINE, "1500ms");
        config.put(ConfigKey.VOICEBRIDGE_LEASE_RETRY_PERIOD, "200ms");
        config.put(ConfigKey.VOICEBRIDGE_GRAPH_BASE_URL, h.graph.baseUri().toString());
        var operator = new VoiceBridgeOperator(OperatorConfig.of(config), client, Clock.systemUTC());
        operator.start();
        return operator;
    }

    /**
     * JOSDK checks the Lease permissions with a SelfSubjectRulesReview before it elects; the
     * in-memory API has no authorization, so the test answers with the RBAC rules the Helm
     * chart grants (docs/operator.md): create on any Lease, get and update on ours by name.
     */
    void allowLeases() {
        var review = new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("create")
                .endResourceRule()
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("get", "update")
                .withResourceNames("voicebridge-operator")
                .endResourceRule()
                .withIncomplete(false)
                .endStatus()
                .build();
        kube.respond("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", 201, review);
    }

    @Test
    void onlyTheLeaderActsAndTheStandbyTakesOver() {
        h = new OperatorHarness(client);
        allowLeases();
        h.worker("w", 10, true);
        one = replica("replica-one");
        two = replica("replica-two");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> one.isLeader() || two.isLeader());
        assertThat(one.isLeader() && two.isLeader()).isFalse();
        var lease = client.leases()
                .inNamespace(OperatorHarness.NAMESPACE)
                .withName("voicebridge-operator")
                .get();
        String leaderName = one.isLeader() ? "replica-one" : "replica-two";
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(leaderName);

        h.connect("wacid.le1");
        assertThat(h.graph.requests("wacid.le1"))
                .extracting(GraphRequest::action)
                .containsExactly("pre_accept", "accept");
        assertThat(h.get("wacid.le1").getStatus().getAssignment().getAttempt()).isEqualTo(1);

        VoiceBridgeOperator leader = one.isLeader() ? one : two;
        VoiceBridgeOperator standby = leader == one ? two : one;
        assertThat(leader.metrics().reconciliations()).isPositive();
        assertThat(standby.metrics().reconciliations())
                .as("the standby never reconciles")
                .isZero();
        leader.close();
        if (leader == one) {
            one = null;
        } else {
            two = null;
        }
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(standby::isLeader);
        h.call("wacid.le2", AcceptBy.bridge);
        h.await("wacid.le2", c -> worker(c) != null);
        h.answer("wacid.le2");
        h.await("wacid.le2", FailuresIT::preAccepted);
        h.dtlsConnected("wacid.le2");
        h.awaitPhase("wacid.le2", CallPhase.Connected);
        assertThat(h.graph.requests())
                .extracting(r -> r.callId() + ":" + r.action())
                .containsExactlyElementsOf(List.of(
                        "wacid.le1:pre_accept", "wacid.le1:accept", "wacid.le2:pre_accept", "wacid.le2:accept"));
    }
}
