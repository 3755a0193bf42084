<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CustomersPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="69" />
        <source>Search name, account no., USCC, contact or phone</source>
        <translation>搜索名称、户号、统一社会信用代码、联系人或电话</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="72" />
        <source>All classes</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="74" />
        <source>Class %1</source>
        <translation>%1 类</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="77" />
        <source>Risk only</source>
        <translation>仅风险客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="109" />
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="113" />
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="116" />
        <source>Recompute classes</source>
        <translation>重新分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="118" />
        <source>Set class…</source>
        <translation>调整分级…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="120" />
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="122" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="124" />
        <source>Data quality…</source>
        <translation>资料质量…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="126" />
        <source>Balance grids…</source>
        <translation>网格均衡…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="154" />
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="155" />
        <source>All parks</source>
        <translation>全部园区</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="177" />
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="190" />
        <source>Pyramid classes</source>
        <translation>客户分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="178" />
        <source>%1 customers classified, %2 changed.</source>
        <translation>已对 %1 户客户分级,其中 %2 户类别有变化。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="190" />
        <source>Select a customer first.</source>
        <translation>请先选择客户。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="196" />
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="201" />
        <source>Set class</source>
        <translation>调整分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="196" />
        <source>Class:</source>
        <translation>类别:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="201" />
        <source>Reason:</source>
        <translation>调整原因:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="232" />
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="252" />
        <source>Import customers</source>
        <translation>导入客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="232" />
        <source>Spreadsheets (*.xlsx *.csv)</source>
        <translation>表格文件 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="242" />
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="255" />
        <source>%1: %2 row(s), %3 valid, %4 with problems.</source>
        <translation>%1:共 %2 行,%3 行有效,%4 行有问题。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="264" />
        <source>Import valid rows</source>
        <translation>只导入有效行</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="264" />
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="267" />
        <source>Import nothing</source>
        <translation>全部不导入</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="283" />
        <source>Export customers</source>
        <translation>导出客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="283" />
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="332" />
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n 户客户</numerusform>
        </translation>
    </message>
</context>
</TS>