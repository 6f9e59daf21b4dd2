import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseTemplate, type Template } from "@/emulator/cloudformation/template";
import { parsePortalEnv } from "@/lib/env";

/**
 * The stack an administrator deploys (deploy/aws/quartermaster.yaml) and the catalog the emulator
 * seeds from (catalog/catalog.json) describe the same thing: products, versions, TagOptions,
 * constraints and principals. If one changes without the other, the emulator stops standing in for
 * what runs on AWS, and this fails.
 */

const root = path.resolve(__dirname, "../..");
const stack: Template = parseTemplate(readFileSync(path.join(root, "deploy/aws/quartermaster.yaml"), "utf8"), "quartermaster.yaml");
type CatalogFile = {
  portfolios: {
    key: string;
    displayName: string;
    description: string;
    providerName: string;
    principals: string[];
    launchConstraint?: { roleArn: string; description: string };
    tagOptions: Record<string, string[]>;
    products: string[];
    constraints: { type: string; product: string; description: string; tagUpdateOnProvisionedProduct: string }[];
  }[];
  products: {
    key: string;
    name: string;
    owner: string;
    distributor: string;
    shortDescription: string;
    supportEmail: string;
    supportUrl: string;
    supportDescription: string;
    tagOptions?: Record<string, string[]>;
    versions: { name: string; description: string; template: string; deprecated?: boolean }[];
  }[];
};
const catalog = JSON.parse(readFileSync(path.join(root, "catalog/catalog.json"), "utf8")) as CatalogFile;

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string | string[] };
const resources = stack.Resources as Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const ref = (value: unknown): string => {
  const r = (value as { Ref?: unknown }).Ref;
  if (typeof r !== "string") throw new Error(`expected a !Ref, got ${JSON.stringify(value)}`);
  return r;
};
const getAttArn = (value: unknown): string => {
  const g = (value as { "Fn::GetAtt"?: unknown })["Fn::GetAtt"];
  if (!Array.isArray(g) || g[1] !== "Arn") throw new Error(`expected !GetAtt X.Arn, got ${JSON.stringify(value)}`);
  return g[0] as string;
};
const defaultOf = (parameter: string) => (stack.Parameters?.[parameter] as { Default?: unknown } | undefined)?.Default;
/** The role name a role resource gets with the stack's default parameters. */
const roleName = (logicalId: string) => String(defaultOf(ref(resources[logicalId]!.Properties.RoleName)));
const productLogicalId = (key: string) => {
  const name = catalog.products.find((p) => p.key === key)!.name;
  const found = ofType("AWS::ServiceCatalog::CloudFormationProduct").find(([, r]) => r.Properties.Name === name);
  if (!found) throw new Error(`the stack has no product named ${name}`);
  return found[0];
};
const oneLine = (text: unknown) => String(text).replace(/\s+/g, " ").trim();
const portfolioLogicalId = () => {
  const portfolios = ofType("AWS::ServiceCatalog::Portfolio");
  expect(portfolios).toHaveLength(1);
  return portfolios[0]![0];
};
/** TagOptions associated with a resource, as { key: [values] }. */
function tagOptionsOf(logicalId: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [, assoc] of ofType("AWS::ServiceCatalog::TagOptionAssociation")) {
    if (ref(assoc.Properties.ResourceId) !== logicalId) continue;
    const option = resources[ref(assoc.Properties.TagOptionId)]!;
    expect(option.Type).toBe("AWS::ServiceCatalog::TagOption");
    expect(option.Properties.Active).toBe(true);
    (out[option.Properties.Key as string] ??= []).push(option.Properties.Value as string);
  }
  for (const values of Object.values(out)) values.sort();
  return out;
}
const sortedValues = (options: Record<string, string[]> | undefined) =>
  Object.fromEntries(Object.entries(options ?? {}).map(([k, v]) => [k, [...v].sort()]));

describe("deploy/aws/quartermaster.yaml and catalog/catalog.json", () => {
  const [portfolio] = catalog.portfolios;

  it("describe one portfolio with the same name, provider and description", () => {
    expect(catalog.portfolios).toHaveLength(1);
    const p = resources[portfolioLogicalId()]!.Properties;
    expect({ name: p.DisplayName, provider: p.ProviderName, description: p.Description }).toEqual({
      name: portfolio!.displayName,
      provider: portfolio!.providerName,
      description: portfolio!.description,
    });
  });

  it("grant the portfolio to the same two principals: the end-user and admin roles", () => {
    const granted = ofType("AWS::ServiceCatalog::PortfolioPrincipalAssociation").map(([, r]) => {
      expect(ref(r.Properties.PortfolioId)).toBe(portfolioLogicalId());
      expect(r.Properties.PrincipalType).toBe("IAM");
      return roleName(getAttArn(r.Properties.PrincipalARN));
    });
    expect(granted.sort()).toEqual(portfolio!.principals.map((arn) => arn.split("/").pop()).sort());
  });

  it("hold the same products, with the same texts and versions, each from its template in catalog/", () => {
    const inPortfolio = ofType("AWS::ServiceCatalog::PortfolioProductAssociation").map(([, r]) => {
      expect(ref(r.Properties.PortfolioId)).toBe(portfolioLogicalId());
      return ref(r.Properties.ProductId);
    });
    expect(inPortfolio.sort()).toEqual(portfolio!.products.map(productLogicalId).sort());
    expect(ofType("AWS::ServiceCatalog::CloudFormationProduct")).toHaveLength(catalog.products.length);
    const templates = new Set(readdirSync(path.join(root, "catalog")).filter((f) => f.endsWith(".yaml")));

    for (const product of catalog.products) {
      const p = resources[productLogicalId(product.key)]!.Properties;
      expect({
        owner: p.Owner,
        distributor: p.Distributor,
        description: oneLine(p.Description),
        supportEmail: p.SupportEmail,
        supportUrl: p.SupportUrl,
        supportDescription: oneLine(p.SupportDescription),
      }).toEqual({
        owner: product.owner,
        distributor: product.distributor,
        description: product.shortDescription,
        supportEmail: product.supportEmail,
        supportUrl: product.supportUrl,
        supportDescription: product.supportDescription,
      });
      const artifacts = p.ProvisioningArtifactParameters as { Name: string; Description: string; Info: { LoadTemplateFromURL: { "Fn::Sub": string } } }[];
      expect(artifacts.map((a) => ({ name: a.Name, description: a.Description, template: a.Info.LoadTemplateFromURL["Fn::Sub"].split("}").pop()! }))).toEqual(
        product.versions.map((v) => ({ name: v.name, description: v.description, template: v.template })),
      );
      for (const a of artifacts) {
        expect(a.Info.LoadTemplateFromURL["Fn::Sub"]).toMatch(/^https:\/\/\$\{TemplateBucketName\}\.s3\.\$\{AWS::Region\}\.\$\{AWS::URLSuffix\}\/\$\{TemplateKeyPrefix\}[\w.-]+\.yaml$/);
      }
      for (const v of product.versions) expect(templates.has(v.template), `${v.template} in catalog/`).toBe(true);
    }
  });

  it("mark the same versions deprecated (the stack's metadata; the guide's command applies it)", () => {
    const listed = (stack.Metadata as { Quartermaster: { DeprecatedVersions: Record<string, string[]> } }).Quartermaster.DeprecatedVersions;
    const expected: Record<string, string[]> = {};
    for (const product of catalog.products) {
      const deprecated = product.versions.filter((v) => v.deprecated).map((v) => v.name);
      if (deprecated.length) expected[productLogicalId(product.key)] = deprecated;
    }
    expect(listed).toEqual(expected);
  });

  it("have the same TagOptions on the portfolio and on each product", () => {
    expect(tagOptionsOf(portfolioLogicalId())).toEqual(sortedValues(portfolio!.tagOptions));
    for (const product of catalog.products) expect(tagOptionsOf(productLogicalId(product.key)), product.key).toEqual(sortedValues(product.tagOptions));
  });

  it("launch every product with the same launch role, and allow tag updates on the same products", () => {
    const launch = ofType("AWS::ServiceCatalog::LaunchRoleConstraint").map(([, r]) => ({
      product: ref(r.Properties.ProductId),
      role: roleName(getAttArn(r.Properties.RoleArn)),
      description: r.Properties.Description,
    }));
    expect(launch.sort((a, b) => a.product.localeCompare(b.product))).toEqual(
      portfolio!.products
        .map((key) => ({ product: productLogicalId(key), role: portfolio!.launchConstraint!.roleArn.split("/").pop(), description: portfolio!.launchConstraint!.description }))
        .sort((a, b) => a.product.localeCompare(b.product)),
    );
    const updates = ofType("AWS::ServiceCatalog::ResourceUpdateConstraint").map(([, r]) => ({
      type: "RESOURCE_UPDATE",
      product: ref(r.Properties.ProductId),
      description: r.Properties.Description,
      tagUpdateOnProvisionedProduct: r.Properties.TagUpdateOnProvisionedProduct,
    }));
    expect(updates).toEqual(portfolio!.constraints.map((c) => ({ ...c, product: productLogicalId(c.product) })));
    // A constraint needs its product in the portfolio first: CloudFormation must create the association before it.
    for (const [, r] of [...ofType("AWS::ServiceCatalog::LaunchRoleConstraint"), ...ofType("AWS::ServiceCatalog::ResourceUpdateConstraint")]) {
      const association = ofType("AWS::ServiceCatalog::PortfolioProductAssociation").find(([, a]) => ref(a.Properties.ProductId) === ref(r.Properties.ProductId))!;
      expect([r.DependsOn].flat()).toContain(association[0]);
    }
  });
});

describe("the stack's roles", () => {
  const trust = (logicalId: string) =>
    (resources[logicalId]!.Properties.AssumeRolePolicyDocument as { Statement: { Principal: unknown; Action: string | string[]; Condition?: Record<string, Record<string, unknown>> }[] }).Statement;

  it("trust only the portal's principal, with sts:TagSession limited to the session tag keys the portal sets", () => {
    for (const role of ["EndUserRole", "AdminRole"]) {
      const statements = trust(role);
      for (const s of statements) expect(s.Principal).toEqual({ AWS: { Ref: "PortalPrincipalArn" } });
      const actions = statements.flatMap((s) => [s.Action].flat()).sort();
      expect(actions).toEqual(["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]);
      const tagging = statements.find((s) => [s.Action].flat().includes("sts:TagSession"))!;
      expect(tagging.Condition).toEqual({ "ForAllValues:StringEquals": { "aws:TagKeys": { Ref: "SessionTagKeys" } } });
      expect(resources[role]!.Properties.MaxSessionDuration).toEqual({ Ref: "MaxSessionDuration" });
    }
    // The default session tag keys are the portal's default reserved tag keys.
    const portal = parsePortalEnv(productionSettings({}));
    expect(String(defaultOf("SessionTagKeys")).split(",")).toEqual(portal.RESERVED_TAG_KEYS);
  });

  it("are named as the portal's default role settings and catalog.json's principals", () => {
    const portal = parsePortalEnv(productionSettings({}));
    expect(portal.AWS_ENDUSER_ROLE_ARN.split("/").pop()).toBe(roleName("EndUserRole"));
    expect(portal.AWS_ADMIN_ROLE_ARN.split("/").pop()).toBe(roleName("AdminRole"));
  });

  it("scope end users to their own provisioned products and admins to the account", () => {
    const statements = (role: string) =>
      (resources[role]!.Properties.Policies as { PolicyDocument: { Statement: { Action: string | string[]; Condition?: Record<string, Record<string, string>> }[] } }[]).flatMap((p) => p.PolicyDocument.Statement);
    const levelOf = (role: string, action: string) => statements(role).find((s) => [s.Action].flat().includes(action))?.Condition?.StringEquals;
    for (const action of ["DescribeRecord", "DescribeProvisionedProduct", "UpdateProvisionedProduct", "TerminateProvisionedProduct", "SearchProvisionedProducts", "CreateProvisionedProductPlan"]) {
      expect(levelOf("EndUserRole", `servicecatalog:${action}`), action).toEqual({ "servicecatalog:userLevel": "self" });
      expect(levelOf("AdminRole", `servicecatalog:${action}`), action).toEqual({ "servicecatalog:accountLevel": "self" });
    }
    const allowed = (role: string) => new Set(statements(role).flatMap((s) => [s.Action].flat()));
    expect(allowed("EndUserRole").has("servicecatalog:UpdateProvisionedProductProperties")).toBe(false);
    // Reconciliation lists the account with SearchProvisionedProducts; nothing scans it.
    for (const role of ["EndUserRole", "AdminRole"]) expect(allowed(role).has("servicecatalog:ScanProvisionedProducts"), role).toBe(false);
    expect(allowed("AdminRole").has("servicecatalog:UpdateProvisionedProductProperties")).toBe(true);
    expect(allowed("AdminRole").has("servicecatalog:ProvisionProduct")).toBe(false);
  });
});

/** The production settings a portal gets from the stack's PortalSettings output plus the non-AWS ones. */
function productionSettings(overrides: Record<string, string>): Record<string, string> {
  return {
    DATABASE_URL: "postgresql://portal@db.example.org:5432/quartermaster",
    OIDC_ISSUER: "https://login.example.org",
    OIDC_CLIENT_SECRET: "client-secret",
    AUTH_SECRET: "a".repeat(48),
    APP_URL: "https://portal.example.org",
    AWS_ENDUSER_ROLE_ARN: `arn:aws:iam::111122223333:role/${roleName("EndUserRole")}`,
    AWS_ADMIN_ROLE_ARN: `arn:aws:iam::111122223333:role/${roleName("AdminRole")}`,
    ...overrides,
  };
}

describe("the stack's PortalSettings output", () => {
  it("is an environment file of the portal's own settings that production mode accepts", () => {
    const output = (stack.Outputs as Record<string, { Value: { "Fn::Sub": [string, Record<string, unknown>] } }>).PortalSettings!.Value["Fn::Sub"][0];
    // What CloudFormation substitutes with the default parameters in account 111122223333, us-west-2.
    const values: Record<string, string> = {
      "AWS::Region": "us-west-2",
      "EndUserRole.Arn": "arn:aws:iam::111122223333:role/ServiceCatalogEndusers",
      "AdminRole.Arn": "arn:aws:iam::111122223333:role/ServiceCatalogAdmins",
      MaxSessionDuration: String(defaultOf("MaxSessionDuration")),
      TagKeys: String(defaultOf("SessionTagKeys")),
      PortalExternalId: "",
    };
    const text = output.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (!(name in values)) throw new Error(`PortalSettings uses \${${name}}, which this test does not know`);
      return values[name]!;
    });
    const settings = Object.fromEntries(
      text
        .trim()
        .split("\n")
        .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    const { DATABASE_URL, OIDC_ISSUER, OIDC_CLIENT_SECRET, AUTH_SECRET, APP_URL } = productionSettings({});
    const portal = parsePortalEnv({ DATABASE_URL, OIDC_ISSUER, OIDC_CLIENT_SECRET, AUTH_SECRET, APP_URL, ...settings });
    expect(portal.QUARTERMASTER_MODE).toBe("production");
    expect(portal.AWS_REGION).toBe("us-west-2");
    expect(portal.AWS_ENDUSER_ROLE_ARN).toBe(values["EndUserRole.Arn"]);
    expect(portal.AWS_ADMIN_ROLE_ARN).toBe(values["AdminRole.Arn"]);
    expect(portal.AWS_SESSION_DURATION_SECONDS).toBe(3600);
    expect(portal.RESERVED_TAG_KEYS).toEqual(["OwnerEmail", "Department", "Project"]);
    expect(portal.AWS_ROLE_EXTERNAL_ID).toBeUndefined();
  });
});
