using System.Collections.Frozen;

namespace LeadScoring.Api.Infrastructure;

/// <summary>
/// Each operation's description in the OpenAPI document: what it does beyond its summary, what it guarantees and
/// when it refuses. Kept by operation id beside the one-line summaries of the endpoint groups; OpenApiContractTests
/// fails for an operation without one.
/// </summary>
public static class OperationDescriptions
{
    private static readonly FrozenDictionary<string, string> ById = new Dictionary<string, string>
    {
        ["GetHealth"] = "Answers 200 while the process runs, without a token and without calling the cluster: a liveness probe.",
        ["GetReadiness"] = "Answers 200 once a silo answers and, in PostgreSQL mode, the database does; 503 with the failing check otherwise. A readiness probe: take the instance out of the balancer while it fails.",
        ["UpsertLead"] = "Creates the lead (201) or merges the given fields into it (200): attributes are set, a null attribute is removed, personal data (email, name, phone) is sealed at rest. The lead is rescored before the answer, which is sent only once the change is stored.",
        ["GetLead"] = "The lead as stored: attributes, consent, activity aggregates, recent activities and outcome. Personal data is masked for every role but admin.",
        ["ListLeads"] = "The workspace's leads from the lead index, filtered by grade, score range, trend, an attribute or scored_since, sorted, 50 a page by default. Pass next_cursor as cursor for the next page. The index follows the leads' events, so a change shows here moments after it is acknowledged.",
        ["GetLeadSummary"] = "Counts by grade, a histogram of scores in ten bins, and the conversion rate of each grade from the outcomes recorded.",
        ["StartLeadIndexRebuild"] = "Rebuilds the workspace's lead index from the leads themselves, after it was lost or its indexed attributes changed. Answers 202; the rebuild's progress is read with GetLeadIndexRebuild.",
        ["GetLeadIndexRebuild"] = "The state of the last index rebuild since the workspace's index grain started: running, succeeded or failed, with the leads it wrote.",
        ["RecordLeadActivities"] = "Records what the lead did and rescores it before answering 202 with the counts accepted and duplicate. An activity whose activity_id was seen before is counted as a duplicate and not applied again, so a retry is harmless. Nothing is stored when any activity is invalid.",
        ["RecordActivityBatch"] = "Records up to 1,000 activities of many leads in one call. Answers once every listed lead's activities are stored, with a result per lead; a lead that is missing or refuses its activities is listed under failed with the reasons, and the others are recorded.",
        ["RecordLeadOutcome"] = "Records whether the lead converted, with its deal value and close date when known. Outcomes are what training from history and the drift report's realized performance learn from.",
        ["UpdateLeadConsent"] = "Changes the lead's consent to profiling (scoring and training) or to marketing; a flag left out is not changed. Without profiling consent a lead is stored but neither scored nor trained on.",
        ["ExportLead"] = "Everything held about the lead, unmasked: its record and its stored score history. For a data subject's access request (admin).",
        ["EraseLead"] = "Erases the lead everywhere: its state, activities, score history and index line. What remains is its erasure event; audit entries name leads by a keyed hash, never by id or personal data (admin).",
        ["StartImport"] = "Imports a CRM export (multipart/form-data: the file, its id column, optionally a label column and files joined to it by a key column). Every row becomes a lead, with its outcome when labelled. Answers 202 once the file is read and can be imported; follow the job with GetImportJob.",
        ["GetImportJob"] = "An import's progress while it runs (rows processed, created, updated, rejected, rows per second, time left) and its report when it ends, with each rejected row and the reason.",
        ["StartTraining"] = "Trains a scoring model on a CSV upload (multipart/form-data: file, label and options) or on the workspace's recorded outcomes (JSON, source history). Answers 202 with the job; the first model of a workspace becomes its champion, later ones are candidates to promote.",
        ["GetTrainingJob"] = "A training job's stage and percent while it runs; when it succeeded, the model version and its training report (holdout metrics, calibration, importance, leakage and fairness checks).",
        ["ListModels"] = "The workspace's model versions, newest first, each with its holdout metrics, and which is the champion.",
        ["GetModel"] = "One model version with its whole training report.",
        ["PromoteModel"] = "Makes the version the champion. Leads are rescored by it as they are next read or change; the promotion is audited and announced as a model.promoted event.",
        ["RollBackModel"] = "Brings the previous champion back; 409 when there is none.",
        ["GetRetraining"] = "Whether a retraining job runs now, and the decisions of the past ones: what triggered each, the challenger against the champion, and whether it was promoted.",
        ["StartRetraining"] = "Retrains on the workspace's history now and promotes the challenger if it beats the champion. Answers 202 with started false when a job was already running (that one goes on).",
        ["ScoreLead"] = "The lead's current score, recomputed if its features or the champion changed, with its recommendations on request. With an experiment id the lead is scored by its variant's model and the exposure is recorded. 409 when the lead withdrew profiling consent or the workspace has no model.",
        ["GetLeadScore"] = "The lead's current score: its grade, probability, confidence, six dimension scores and reasons; with include_insights, the next best action and the exact explanation (Shapley values in log-odds that add up from the base value to the output). Served from the lead's cache when nothing changed.",
        ["ScoreLeadsBatch"] = "Scores up to 10,000 leads. Each result is the score's headline, or the whole score with include_insights; a lead that cannot be scored (missing, no consent, unavailable) is listed under failed with the reason and the others are answered.",
        ["GetLeadScoreHistory"] = "The lead's last 100 scores, newest first, each with the model version and what triggered it.",
        ["GetScoringMetrics"] = "Scoring figures measured by this API process (requests, latency percentiles, cache hits, errors), the champion's holdout metrics, and the drift level in brief.",
        ["GetDrift"] = "The champion's drift report: each feature's distribution against the training data (PSI, KS, chi-square), the score's shift, realized performance from recorded outcomes, and the alerts raised.",
        ["CreateExperiment"] = "Starts an A/B test: leads are assigned to variants by a stable hash of experiment and lead id, in the given traffic split, each variant scoring with its model. Creating the same definition again answers 200 with the existing experiment (admin).",
        ["ListExperiments"] = "The workspace's experiments, running and stopped.",
        ["GetExperiment"] = "An experiment's report: exposures and conversions per variant, the sequential test's p-values and the verdict so far.",
        ["StopExperiment"] = "Stops the experiment; with promote_winner, promotes the winning variant's model when the test found a significant winner (400 when it did not) (admin).",
        ["CreateWebhook"] = "Subscribes an endpoint to event types, optionally filtered by grade or score change. Deliveries are signed as Standard Webhooks specifies with the secret shown only in this answer, and retried with backoff. Private network addresses are refused unless configured (admin).",
        ["ListWebhooks"] = "The workspace's webhook endpoints, with why the system disabled one and when a rotated secret expires (admin).",
        ["GetWebhook"] = "One webhook endpoint (admin).",
        ["UpdateWebhook"] = "Changes the given fields of the endpoint; a null filter removes it. Re-enabling delivers events from now on (admin).",
        ["DeleteWebhook"] = "Removes the endpoint; nothing more is delivered to it (admin).",
        ["RotateWebhookSecret"] = "Issues a new signing secret, shown only in this answer; the old one signs beside it until the grace period ends (a day by default, a week at most) (admin).",
        ["ListWebhookDeliveries"] = "The endpoint's delivery attempts, newest first: status, latency, error and the next attempt of a retry (admin).",
        ["TestWebhook"] = "Sends a ping event to the endpoint once, not retried, and answers with the attempt (admin).",
        ["ReplayWebhookEvents"] = "Queues the endpoint's events again from the outbox, since a time or after an event id (admin).",
        ["FollowEvents"] = "The workspace's events as server-sent events, optionally of the given types. A reconnecting client sends Last-Event-ID and receives what it missed first, within the outbox's retention.",
        ["ReadAuditTrail"] = "Who did what and when in the workspace, newest first, filtered by time, action, subject or lead; pass next_before as before for the next page (admin).",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static string? For(string operationId) => ById.GetValueOrDefault(operationId);
}
