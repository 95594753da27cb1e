-- test/generation_models.sql: the model writes of sql/generations.sql, run
-- once per release line ($GEN); the stored models after each write.
-- a new backend: the release is found once per server and backend
\c -
\! mockctl reset $GEN "$(python3 -c 'import json; d = json.load(open("test/mock/seed_models.json")); m = [x for x in d["models"] if x["id"] == "m-gpt4o"][0]; m["litellm_params"].update({"use_in_pass_through": True, "use_xai_oauth": True}); print(json.dumps(d))')"
\! mockctl requests > /dev/null
-- a credential that does not exist: LiteLLM would store the model; 23503
-- before sending
INSERT INTO litellm_model (model_name, litellm_model, credential_name)
VALUES ('x', 'openai/x', 'no-such-credential');  -- ERROR
\echo :SQLSTATE
-- an id that exists: LiteLLM's bare 500 proves nothing; 23505 before sending
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-claude', 'dup', 'openai/x');  -- ERROR
\echo :SQLSTATE
-- the same id twice in one transaction (write_mode 'commit'): 23505 at the
-- second INSERT, nothing sent
BEGIN;
INSERT INTO model_tx (model_id, model_name, litellm_model) VALUES ('m-twice', 'a', 'openai/a');
INSERT INTO model_tx (model_id, model_name, litellm_model) VALUES ('m-twice', 'b', 'openai/b');  -- ERROR
ROLLBACK;
\! mockctl requests
-- a change of rpm: the switches LiteLLM would reset go along with their
-- current values, and stay as they were
UPDATE litellm_model SET litellm_params = litellm_params || '{"rpm": 200}'
 WHERE model_id = 'm-gpt4o';
\! mockctl requests
\! mockctl models | grep '^m-gpt4o '
-- a key removed: LiteLLM ignores the null; refused before sending
UPDATE litellm_model SET litellm_params = litellm_params - 'rpm' WHERE model_id = 'm-gpt4o';
\echo :SQLSTATE
-- detaching the credential: the newest line does; older ones ignore the
-- null, so refused there
UPDATE litellm_model SET credential_name = NULL WHERE model_id = 'm-gpt4o';
\echo :SQLSTATE
\! mockctl requests
\! mockctl models | grep '^m-gpt4o '
-- model_info: sent with the model's own id (LiteLLM would store a new one)
UPDATE litellm_model SET model_info = model_info || '{"team": "core"}'
 WHERE model_id = 'm-gpt4o-mini';
\! mockctl requests
\! mockctl models | grep '^m-gpt4o-mini '
-- a model of LiteLLM's config file: 400 "Cannot edit config-based model"
UPDATE litellm_model SET litellm_params = litellm_params || '{"rpm": 1}'
 WHERE model_name = 'config-llama';  -- ERROR
\echo :SQLSTATE
\! mockctl requests
-- a 403 of the model update comes in FastAPI's {"detail": {"error": ...}}
-- shape (patch_model re-raises the HTTPException): 28000, with its message
\! mockctl fault '{"method":"PATCH","path_prefix":"/model/","status":403,"body":"{\"detail\":{\"error\":\"User does not have permission to make this model call\"}}"}'
UPDATE litellm_model SET model_name = 'renamed' WHERE model_id = 'm-claude';  -- ERROR
\echo :SQLSTATE
\! mockctl models | grep '^m-claude ' | cut -d' ' -f1,2
