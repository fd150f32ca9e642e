//! The `HealthProbe` contract: a reachable store answers a ping and has a name for `/readyz`.

use scrm_domain::health::HealthProbe;

use super::Guarded;

pub async fn ping_answers(factory: impl AsyncFn() -> Guarded<dyn HealthProbe>) {
    let probe = factory().await;
    assert!(!probe.name().is_empty());
    probe.ping().await.unwrap();
    probe.ping().await.unwrap();
}
