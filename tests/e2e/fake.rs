//! A small in-test implementation of the server traits (one per tag; failures are `ApiError`s,
//! as in any implementation): enough behaviour to prove that the
//! generated router parses every request as ThoughtSpot does and that the generated client reads
//! every response. It records each call's parsed input so tests can assert on what arrived.

use std::collections::HashSet;
use std::sync::Mutex;

use tspot_server::types;
use tspot_server::*;

pub const ADMIN: &str = "tsadmin";
pub const ADMIN_PASSWORD: &str = "admin";
pub const TRUSTED_SECRET: &str = "8f5c1b7e-0000-4000-8000-trusted";
/// A PDF that is not valid UTF-8, so a lossy text path would show.
pub const PDF_PREFIX: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";

#[derive(Default)]
pub struct FakeApi {
    sessions: Mutex<HashSet<String>>,
    calls: Mutex<Vec<(String, String)>>,
}

impl FakeApi {
    /// The `Debug` text of every parsed input the named operation received, oldest first.
    pub fn inputs(&self, operation: &str) -> Vec<String> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(op, _)| op == operation)
            .map(|(_, input)| input.clone())
            .collect()
    }

    pub fn last_input(&self, operation: &str) -> String {
        self.inputs(operation)
            .pop()
            .unwrap_or_else(|| panic!("{operation} was never called"))
    }

    fn record(&self, operation: &str, input: &impl std::fmt::Debug) {
        self.calls
            .lock()
            .unwrap()
            .push((operation.to_string(), format!("{input:?}")));
    }

    fn open_session(&self) -> Vec<String> {
        let id = uuid::Uuid::new_v4().to_string();
        self.sessions.lock().unwrap().insert(id.clone());
        vec![
            format!("JSESSIONID={id}; Path=/; HttpOnly; SameSite=Lax"),
            format!("clientId={}; Path=/; HttpOnly", uuid::Uuid::new_v4()),
        ]
    }

    fn check_session(&self, ctx: &RequestContext) -> Result<(), ApiError> {
        let known = ctx
            .session_id
            .as_ref()
            .is_some_and(|id| self.sessions.lock().unwrap().contains(id));
        if known {
            Ok(())
        } else {
            Err(ApiError::unauthorized("Not logged in"))
        }
    }
}

fn principal(name: &str, kind: types::PrincipalType, groups: &[&str]) -> types::Principal {
    types::Principal {
        name: name.into(),
        display_name: Some(name.to_uppercase()),
        description: None,
        created: Some(1_354_006_445_722),
        modified: Some(1_354_006_445_722),
        mail: None,
        principal_type_enum: kind.into(),
        group_names: groups.iter().map(|g| g.to_string()).collect(),
        visibility: Some(types::Visibility::Default.into()),
        activate: Some(false),
        password: None,
    }
}

fn group_details(name: &str, privileges: Vec<String>) -> types::GroupDetails {
    serde_json::from_value(serde_json::json!({
        "displayName": name,
        "privileges": privileges,
        "type": "LOCAL_GROUP",
        "visibility": "DEFAULT",
        "header": {"id": "0f7af46f-e48c-4cca-b60f-d63d5ddbe59f", "name": name, "tags": [], "type": "LOCAL_GROUP"}
    }))
    .expect("group details match the spec")
}

fn page(
    rows: Vec<Vec<serde_json::Value>>,
    batchsize: i64,
    offset: i64,
) -> (Vec<Vec<serde_json::Value>>, i64) {
    let start = offset.max(0) as usize;
    let taken: Vec<_> = rows.into_iter().skip(start).collect();
    let taken = if batchsize > 0 {
        taken.into_iter().take(batchsize as usize).collect()
    } else {
        taken
    };
    (taken, start as i64)
}

impl ApiHooks for FakeApi {}

impl UserApi for FakeApi {
    async fn user_list(
        &self,
        ctx: RequestContext,
        input: UserListInput,
    ) -> Result<Vec<types::Principal>, ApiError> {
        self.record("userList", &input);
        self.check_session(&ctx)?;
        Ok(vec![
            principal("Administrator", types::PrincipalType::LocalGroup, &[]),
            principal(
                ADMIN,
                types::PrincipalType::LocalUser,
                &["Administrator", "All"],
            ),
            // Kinds a newer release adds travel as they are.
            types::Principal {
                principal_type_enum: types::Open::Unknown("SAML_GROUP".into()),
                visibility: Some(types::Open::Unknown("HIDDEN".into())),
                ..principal("Federated", types::PrincipalType::LocalGroup, &[])
            },
        ])
    }

    async fn user_update_password(
        &self,
        ctx: RequestContext,
        input: UserUpdatePasswordInput,
    ) -> Result<(), ApiError> {
        self.record("userUpdatePassword", &input);
        self.check_session(&ctx)?;
        if input.password == input.currentpassword {
            return Err(ApiError::bad_request(
                "New password cannot be the same as current password",
            ));
        }
        Ok(())
    }

    async fn user_transfer_ownership(
        &self,
        ctx: RequestContext,
        input: UserTransferOwnershipInput,
    ) -> Result<(), ApiError> {
        self.record("userTransferOwnership", &input);
        self.check_session(&ctx)?;
        if input.from_user_name == input.to_user_name {
            return Err(ApiError::bad_request(
                "fromUserName and toUserName are the same user",
            ));
        }
        Ok(())
    }

    async fn user_sync(
        &self,
        ctx: RequestContext,
        input: UserSyncInput,
    ) -> Result<types::UserSyncResult, ApiError> {
        self.record("userSync", &input);
        self.check_session(&ctx)?;
        let names = |kind: types::PrincipalType| -> Vec<String> {
            input
                .principals
                .iter()
                .filter(|p| p.principal_type_enum == kind)
                .map(|p| p.name.clone())
                .collect()
        };
        Ok(types::UserSyncResult {
            users_added: names(types::PrincipalType::LocalUser),
            groups_added: names(types::PrincipalType::LocalGroup),
            users_deleted: if input.remove_deleted {
                vec!["departed".into()]
            } else {
                vec![]
            },
            users_updated: vec![],
            groups_deleted: vec![],
            groups_updated: vec![],
        })
    }
}

impl GroupApi for FakeApi {
    async fn group_add_privilege(
        &self,
        ctx: RequestContext,
        input: GroupAddPrivilegeInput,
    ) -> Result<types::GroupDetails, ApiError> {
        self.record("groupAddPrivilege", &input);
        self.check_session(&ctx)?;
        let group = input.group_names.first().cloned().unwrap_or_default();
        Ok(group_details(&group, vec![input.privilege.to_string()]))
    }

    async fn group_remove_privilege(
        &self,
        ctx: RequestContext,
        input: GroupRemovePrivilegeInput,
    ) -> Result<GroupRemovePrivilegeResponse, ApiError> {
        self.record("groupRemovePrivilege", &input);
        self.check_session(&ctx)?;
        let group = input.group_names.first().cloned().unwrap_or_default();
        Ok(GroupRemovePrivilegeResponse::Ok(group_details(
            &group,
            vec![],
        )))
    }
}

impl SessionApi for FakeApi {
    async fn session_login(
        &self,
        _ctx: RequestContext,
        input: SessionLoginInput,
    ) -> Result<SessionLoginResponse, ApiError> {
        self.record("sessionLogin", &input);
        if input.username == ADMIN && input.password == ADMIN_PASSWORD {
            Ok(SessionLoginResponse::NoContent {
                set_cookie: self.open_session(),
            })
        } else {
            Err(ApiError::unauthorized("Invalid username or password"))
        }
    }

    async fn session_logout(
        &self,
        ctx: RequestContext,
        input: SessionLogoutInput,
    ) -> Result<(), ApiError> {
        self.record("sessionLogout", &input);
        let ended = ctx
            .session_id
            .is_some_and(|id| self.sessions.lock().unwrap().remove(&id));
        if ended {
            Ok(())
        } else {
            Err(ApiError::unauthorized("Not logged in"))
        }
    }

    async fn session_auth_token(
        &self,
        _ctx: RequestContext,
        input: SessionAuthTokenInput,
    ) -> Result<String, ApiError> {
        self.record("sessionAuthToken", &input);
        if input.secret_key != TRUSTED_SECRET {
            return Err(ApiError::unauthorized("Invalid secret key"));
        }
        Ok(format!("token-{}-{}", input.username, input.access_level))
    }

    async fn session_login_token(
        &self,
        _ctx: RequestContext,
        input: SessionLoginTokenInput,
    ) -> Result<SessionLoginTokenResponse, ApiError> {
        self.record("sessionLoginToken", &input);
        if !input
            .auth_token
            .starts_with(&format!("token-{}-", input.username))
        {
            return Err(ApiError::unauthorized("Invalid token"));
        }
        let set_cookie = self.open_session();
        Ok(if input.no_url_redirection {
            SessionLoginTokenResponse::NoContent { set_cookie }
        } else {
            SessionLoginTokenResponse::Found {
                location: Some(input.redirect_url),
                set_cookie,
            }
        })
    }
}

impl TmlApi for FakeApi {
    async fn metadata_tml_import(
        &self,
        ctx: RequestContext,
        input: MetadataTmlImportInput,
    ) -> Result<types::TmlImportResult, ApiError> {
        self.record("metadataTmlImport", &input);
        self.check_session(&ctx)?;
        let object = input
            .import_objects
            .iter()
            .map(|document| {
                let parsed: Result<serde_json::Value, _> = serde_yaml_ng::from_str(document);
                let name = parsed.ok().and_then(|doc| {
                    doc.as_object()?
                        .iter()
                        .find_map(|(_, v)| v.get("name")?.as_str().map(String::from))
                });
                serde_json::from_value(match name {
                    Some(name) => serde_json::json!({"response": {
                        "status": {"status_code": "OK"},
                        "header": {"id_guid": "a09a3787-e546-42cb-888f-c17260dd1229", "name": name,
                                   "author_guid": "59481331-ee53-42be-a548-bd87be6ddd4a",
                                   "owner_guid": "a09a3787-e546-42cb-888f-c17260dd1229",
                                   "metadata_type": "QUESTION_ANSWER_BOOK"}}}),
                    None => serde_json::json!({"response": {"status": {
                        "status_code": "ERROR", "error_code": 14501,
                        "error_message": "Document has no object name"}}}),
                })
                .expect("import result matches the spec")
            })
            .collect();
        Ok(types::TmlImportResult { object })
    }

    async fn metadata_tml_export(
        &self,
        ctx: RequestContext,
        input: MetadataTmlExportInput,
    ) -> Result<types::TmlExportResult, ApiError> {
        self.record("metadataTmlExport", &input);
        self.check_session(&ctx)?;
        let object = input
            .export_ids
            .iter()
            .map(|id| {
                let edoc = match input.formattype {
                    types::TmlFormat::Json => {
                        serde_json::json!({"guid": id, "answer": {"name": "Exported"}}).to_string()
                    }
                    types::TmlFormat::Yaml => format!("guid: {id}\nanswer:\n  name: Exported\n"),
                };
                serde_json::from_value(serde_json::json!({
                    "info": {"name": "Exported", "filename": "Exported.answer.tml",
                             "status": {"status_code": "OK"}, "type": "answer", "id": id},
                    "edoc": edoc
                }))
                .expect("export result matches the spec")
            })
            .collect();
        Ok(types::TmlExportResult { object })
    }
}

impl MetadataApi for FakeApi {
    async fn metadata_list_object_headers(
        &self,
        ctx: RequestContext,
        input: MetadataListObjectHeadersInput,
    ) -> Result<Vec<types::MetadataHeader>, ApiError> {
        self.record("metadataListObjectHeaders", &input);
        self.check_session(&ctx)?;
        let ids = input
            .fetchids
            .clone()
            .unwrap_or_else(|| vec!["3c46f48d-daa8-4da7-8baa-fd72347143dc".into()]);
        let headers = ids
            .into_iter()
            .map(|id| {
                serde_json::from_value(serde_json::json!({
                    "id": id, "name": format!("Object {id}"), "author": "59481331-ee53-42be-a548-bd87be6ddd4a",
                    "created": 1627464397667i64, "modified": 1630367206866i64,
                    "modifiedBy": "59481331-ee53-42be-a548-bd87be6ddd4a", "owner": id,
                    "isAutoCreated": false, "isAutoDelete": false, "tags": []
                }))
                .expect("header matches the spec")
            })
            .collect();
        Ok(headers)
    }

    async fn metadata_list_viz_headers(
        &self,
        ctx: RequestContext,
        input: MetadataListVizHeadersInput,
    ) -> Result<Vec<types::VizHeader>, ApiError> {
        self.record("metadataListVizHeaders", &input);
        self.check_session(&ctx)?;
        if input.id != "lb1" {
            return Err(ApiError::not_found("No such object"));
        }
        let headers = serde_json::from_value(serde_json::json!([
            {"vizType": "HEADLINE", "size": "xs", "title": {"value": {"text": "Headline"}},
             "id": "fa934657-e347-4de7-b02d-3b46609233cc", "name": "MAU",
             "author": "67e15c06-d153-4924-a4cd-ff615393b60f", "created": 1600028569951i64,
             "modified": 1600029455591i64, "modifiedBy": "0f0dd0f7-7411-4195-a4aa-0dc6b58413c9",
             "owner": "lb1"},
            {"vizType": "FILTER", "id": "3d3366b0-7be9-4941-85e3-c8af26744df1", "name": "Untitled",
             "author": "67e15c06-d153-4924-a4cd-ff615393b60f", "created": 1600028570018i64,
             "modified": 1600029455632i64, "modifiedBy": "0f0dd0f7-7411-4195-a4aa-0dc6b58413c9",
             "owner": "lb1"},
            {"vizType": "SANKEY_3D", "id": "0b4a7c52-3b8e-4f0d-9c55-6c1d2e3f4a5b", "name": "Flows",
             "author": "67e15c06-d153-4924-a4cd-ff615393b60f", "created": 1600028570018i64,
             "modified": 1600029455632i64, "modifiedBy": "0f0dd0f7-7411-4195-a4aa-0dc6b58413c9",
             "owner": "lb1"}
        ]))
        .expect("viz headers match the spec");
        Ok(headers)
    }
}

impl DataApi for FakeApi {
    async fn search_data(
        &self,
        ctx: RequestContext,
        input: SearchDataInput,
    ) -> Result<types::SearchDataResult, ApiError> {
        self.record("searchData", &input);
        self.check_session(&ctx)?;
        Ok(types::SearchDataResult {
            column_names: vec!["Query".into(), "Source".into()],
            data: vec![vec![
                serde_json::json!(input.query_string),
                serde_json::json!(input.data_source_guid),
            ]],
            sampling_ratio: 1.0,
            total_row_count: 1,
            row_count: 1,
            page_size: input.batchsize,
            offset: input.offset,
        })
    }

    async fn pinboard_data(
        &self,
        ctx: RequestContext,
        input: PinboardDataInput,
    ) -> Result<types::PinboardData, ApiError> {
        self.record("pinboardData", &input);
        self.check_session(&ctx)?;
        if input.id != "lb1" {
            return Err(ApiError::not_found("No such Liveboard"));
        }
        let vizzes = match input.vizid.as_deref() {
            None | Some([]) => vec!["v1".to_string(), "v2".to_string()],
            Some(ids) => ids.to_vec(),
        };
        let offset = if input.pagenumber > 0 && input.batchsize > 0 {
            (input.pagenumber - 1) * input.batchsize
        } else {
            input.offset
        };
        let rows: Vec<Vec<serde_json::Value>> = (1..=5)
            .map(|i| vec![serde_json::json!(format!("row{i}")), serde_json::json!(i)])
            .collect();
        let total = rows.len() as i64;
        let (data, offset) = page(rows, input.batchsize, offset);
        let result = vizzes
            .into_iter()
            .map(|viz| {
                let data = types::VizData {
                    name: format!("Viz {viz}"),
                    column_names: vec![
                        "Name".into(),
                        format!("Filters {}", input.runtime_filters.len()),
                    ],
                    row_count: data.len() as i64,
                    data: data.clone(),
                    sampling_ratio: 1.0,
                    total_row_count: total,
                    page_size: input.batchsize,
                    offset,
                };
                (viz, data)
            })
            .collect();
        Ok(types::PinboardData(result))
    }

    async fn export_pinboard_pdf(
        &self,
        ctx: RequestContext,
        input: ExportPinboardPdfInput,
    ) -> Result<bytes::Bytes, ApiError> {
        self.record("exportPinboardPdf", &input);
        self.check_session(&ctx)?;
        let mut pdf = PDF_PREFIX.to_vec();
        pdf.extend_from_slice(
            format!(
                "% {} {:?} {}\n%%EOF\n",
                input.id,
                input.orientation,
                input.footer_text.unwrap_or_default()
            )
            .as_bytes(),
        );
        Ok(pdf.into())
    }
}
